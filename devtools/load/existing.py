"""What the seed and earlier runs left: the seed the generator builds on, and the generated rows
(only they) that `--reset` deletes."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q

from accounts.models import Organisation, User
from exporters.models import ExporterProfile
from programs.models import (
    KPI,
    Country,
    Delivery,
    Initiative,
    KPIMeasurement,
    Milestone,
    Notification,
    ProductCategory,
    ProgressReport,
    Project,
    StatusUpdate,
    StrategicField,
    SupportMeasure,
)

from .shape import CODE_PREFIX, LOAD_REASON, USERNAME_PREFIX


class LoadError(Exception):
    """The generator cannot run on this database as it is (no seed, generated rows present)."""


def check_seed():
    missing = [name for name, queryset in (
        ("top-level initiatives", Initiative.objects.filter(parent__isnull=True).exclude(
            code__startswith=CODE_PREFIX)),
        ("countries", Country.objects.all()), ("strategic fields", StrategicField.objects.all()),
        ("organisations", Organisation.objects.all()),
        ("product categories", ProductCategory.objects.all()), ("KPIs", KPI.objects.exclude(
            code__startswith=CODE_PREFIX)),
    ) if not queryset.exists()]
    if missing:
        raise LoadError(
            "The strategy seed is missing (no " + ", ".join(missing) + "): run "
            "`manage.py seed --with-demo-users` first.")


def _generated_rows():
    """Every generated row, by model, in the order they can be deleted."""
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    initiatives = Initiative.objects.filter(code__startswith=CODE_PREFIX)
    return {
        KPIMeasurement: KPIMeasurement.objects.filter(
            Q(kpi__code__startswith=CODE_PREFIX) | Q(recorded_by__in=users)),
        Milestone: Milestone.objects.filter(initiative__in=initiatives),
        Project: Project.objects.filter(code__startswith=CODE_PREFIX),
        KPI: KPI.objects.filter(code__startswith=CODE_PREFIX),
        SupportMeasure: SupportMeasure.objects.filter(code__startswith=CODE_PREFIX),
        Initiative: initiatives,
        ExporterProfile: ExporterProfile.objects.filter(user__in=users),
        User: users,
    }


def generated_present():
    return ", ".join(f"{count:,} {model._meta.label}" for model, queryset
                     in _generated_rows().items() if (count := queryset.count()))


def generated_tables():
    tables = []
    for model in _generated_rows():
        tables += [model._meta.db_table, model.history.model._meta.db_table]
        tables += [f.remote_field.through._meta.db_table for f in model._meta.many_to_many]
    return tables


def _delete_rows(queryset):
    """Delete with one statement: no collector, no signals (which would write a history row
    per deleted row). Only for rows whose dependents have been dealt with."""
    return queryset._raw_delete(queryset.db)


def delete_generated():
    """Delete the generated rows and what refers to them; refuse (LoadError) if a record that
    was not generated depends on one (say, a seeded initiative now owned by a generated
    officer). Returns the number of rows deleted."""
    rows = _generated_rows()
    users, initiatives = rows[User], rows[Initiative]
    # Work recorded since on the generated data, or by generated people.
    StatusUpdate.objects.filter(
        Q(milestone__in=rows[Milestone]) | Q(initiative__in=initiatives)
        | Q(author__in=users)).delete()
    ProgressReport.objects.filter(
        Q(initiative__in=initiatives) | Q(prepared_by__in=users) | Q(submitted_by__in=users)
        | Q(reviewed_by__in=users)).delete()
    for model, queryset in rows.items():
        subject = {"subject_type": ContentType.objects.get_for_model(model),
                   "subject_id__in": queryset.values("pk")}
        Notification.objects.filter(**subject).delete()
        Delivery.objects.filter(**subject).delete()
    deleted = 0
    for model, queryset in rows.items():
        deleted += _delete_rows(
            model.history.model.objects.filter(history_change_reason=LOAD_REASON))
        for many in model._meta.many_to_many:
            through = many.remote_field.through
            deleted += _delete_rows(through.objects.filter(
                **{f"{many.m2m_field_name()}__in": queryset.values("pk")}))
    _detach_references(rows)
    for queryset in rows.values():
        deleted += _delete_rows(queryset)
    return deleted


def _detach_references(rows):
    """Deal with the rows that are not generated but point at generated ones, as Django's
    on_delete says: cascade, set null, or refuse."""
    blocking = []
    for model, queryset in rows.items():
        for relation in model._meta.get_fields(include_hidden=True):
            if relation.concrete or not (relation.one_to_many or relation.one_to_one):
                continue
            foreign_key = relation.field
            on_delete = foreign_key.remote_field.on_delete
            if not foreign_key.db_constraint or on_delete is models.DO_NOTHING:
                continue
            referring = relation.related_model._base_manager.filter(
                **{f"{foreign_key.name}__in": queryset.values("pk")})
            if relation.related_model in rows:
                # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a subquery too large to
                # hash as a scan per row (hours at 500,000 milestones).
                referring = referring.exclude(Exists(
                    rows[relation.related_model].filter(pk=OuterRef("pk"))))
            if not referring.exists():
                continue
            if on_delete is models.CASCADE:
                referring.delete()
            elif on_delete is models.SET_NULL:
                referring.update(**{foreign_key.name: None})
            else:
                blocking.append(f"{referring.count()} {relation.related_model._meta.label} "
                                f"({foreign_key.name})")
    if blocking:
        raise LoadError("Records that were not generated refer to generated ones: "
                        + "; ".join(blocking) + ". Reassign them before --reset.")
