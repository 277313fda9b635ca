"""Who may see and change what. Every read of a tracked object goes through these.

- Administrators see and change everything.
- Programme officers see every initiative and change the milestones, status updates, country
  actions and projects of the initiatives they own or are members of.
- Managers see everything and change nothing here (they review).
- Exporters see none of the internal tracking.
- Report figures (the reports and their files, quarterly progress reports, the dashboard,
  digests) follow one rule, `report_initiatives_readable_by`: managers and administrators
  read every initiative's; an officer those of the initiatives they own or are a member of.

Every role rule of the domain is a predicate here; the admin, the API, the pages and the
services ask these rather than look at a role themselves.
"""

from typing import TypeGuard, TypeVar

from django.db.models import BooleanField, Exists, ExpressionWrapper, Model, OuterRef, Q, QuerySet

from accounts.models import AnyUser, Role, User

# Re-exported: every role rule of the domain is asked here, these included.
from accounts.roles import active_managers as active_managers
from accounts.roles import is_administrator as is_administrator
from accounts.roles import ministry_people as ministry_people
from accounts.roles import sees_internal_tracking as sees_internal_tracking
from accounts.roles import sees_internal_tracking_in_admin as sees_internal_tracking_in_admin

from ..models import (
    KPI,
    CountryAction,
    CountryPlan,
    Initiative,
    KPIMeasurement,
    Milestone,
    Notification,
    ProgressReport,
    Project,
    StatusUpdate,
    SupportMeasure,
)

WORK_OWNER_ROLES = (Role.OFFICER, Role.ADMINISTRATOR)

M = TypeVar("M", bound=Model)


def is_officer(user: AnyUser) -> TypeGuard[User]:
    return user.is_active and user.role == Role.OFFICER


def does_initiative_work(user: AnyUser) -> bool:
    """Officers and administrators: the people who add and change work (which of it, the
    selectors below say)."""
    return is_administrator(user) or is_officer(user)


def may_own_work(user: AnyUser) -> bool:
    """Work is owned by an active officer or administrator, never by a manager or exporter."""
    return user.is_active and user.role in WORK_OWNER_ROLES


def work_owner_candidates(initiative: Initiative | None = None) -> QuerySet[User]:
    """The people offered as an owner or a member: active officers, by name; with `initiative`,
    its team (owner and members, marked `in_team`) first. Administrators may hold work
    (`may_own_work`, e.g. one handed to them through the API) but are not offered it: the work
    is the officers'."""
    people = User.objects.filter(is_active=True, role=Role.OFFICER)
    by_name = ("last_name", "first_name", "username")
    if initiative is None or initiative.pk is None:
        return people.order_by(*by_name)
    members = Initiative.members.through.objects.filter(initiative_id=initiative.pk)
    in_team = Q(pk=initiative.owner_id) | Exists(members.filter(user_id=OuterRef("pk")))
    return people.annotate(in_team=ExpressionWrapper(in_team, output_field=BooleanField())
                           ).order_by("-in_team", *by_name)


def is_reviewer(user: AnyUser) -> bool:
    """Managers (and administrators) read every report and approve or return them."""
    return is_administrator(user) or (user.is_active and user.role == Role.MANAGER)


def report_initiatives_readable_by(user: AnyUser) -> QuerySet[Initiative]:
    """The read rule for report figures, on every path: reviewers (managers, administrators)
    read every initiative's; an officer those of the initiatives they own or are a member
    of; nobody else any."""
    if not user.is_authenticated:
        return Initiative.objects.none()
    if is_reviewer(user):
        return Initiative.objects.all()
    if is_officer(user):
        return initiatives_editable_by(user)
    return Initiative.objects.none()


def can_read_report(user: AnyUser, initiative: Initiative | None = None) -> bool:
    """Whether `user` reads the figures of `initiative` (None: the whole portfolio, for
    reviewers only), by the rule of report_initiatives_readable_by."""
    if not user.is_authenticated:
        return False
    if is_reviewer(user):
        return True  # the rule's first branch, answered without a query
    return initiative is not None and report_initiatives_readable_by(user).filter(
        pk=initiative.pk).exists()


def reads_reports(user: AnyUser) -> bool:
    """Whether `user` reads any report figures: reviewers every initiative's, officers those
    of their own initiatives (which ones, can_read_report says)."""
    return user.is_authenticated and (is_reviewer(user) or is_officer(user))


def handles_progress_reports(user: AnyUser) -> bool:
    """Officers and administrators write and submit progress reports; managers review them."""
    return does_initiative_work(user) or is_reviewer(user)


def progress_reports_readable_by(user: AnyUser) -> QuerySet[ProgressReport]:
    """Quarterly progress reports whose figures `user` may read (the same rule)."""
    if user.is_authenticated and is_reviewer(user):
        return ProgressReport.objects.all()
    return ProgressReport.objects.filter(
        initiative__in=report_initiatives_readable_by(user).values("pk"))


def initiatives_visible_to(user: AnyUser) -> QuerySet[Initiative]:
    if not sees_internal_tracking(user):
        return Initiative.objects.none()
    return Initiative.objects.all()


def initiatives_editable_by(user: AnyUser) -> QuerySet[Initiative]:
    """Initiatives whose work items `user` may change."""
    if not sees_internal_tracking(user):
        return Initiative.objects.none()
    if is_administrator(user):
        return Initiative.objects.all()
    if not is_officer(user):
        return Initiative.objects.none()
    membership = Initiative.members.through.objects.filter(
        initiative_id=OuterRef("pk"), user_id=user.pk
    )
    return Initiative.objects.filter(Q(owner=user) | Exists(membership))


def can_edit_initiative_work(user: AnyUser, initiative: Initiative) -> bool:
    return initiatives_editable_by(user).filter(pk=initiative.pk).exists()


def can_review_exporters(user: AnyUser) -> bool:
    """Registered exporters are reviewed by administrators and by the officers of an
    initiative that reviews them (Initiative.reviews_exporter_registrations)."""
    return is_administrator(user) or initiatives_editable_by(user).filter(
        reviews_exporter_registrations=True).exists()


def can_read_exporters(user: AnyUser) -> bool:
    """A registration holds a company's personal data: read by those who review them and by
    the managers who follow the programme (and administrators), as the data-use page tells
    the companies; other officers do not see them."""
    return is_reviewer(user) or can_review_exporters(user)


def can_edit_initiative_record(user: AnyUser, initiative: Initiative) -> bool:
    """The initiative itself (status, dates, health) is its owner's to change."""
    return is_administrator(user) or (is_officer(user) and initiative.owner_id == user.pk)


def can_record_kpi_measurements(user: AnyUser, kpi: KPI) -> bool:
    """An initiative's KPI is measured by those who work on it; a KPI of no initiative (the
    strategy's own) by administrators."""
    return is_administrator(user) or (
        kpi.initiative is not None and can_edit_initiative_work(user, kpi.initiative))


def kpis_measurable_by(user: AnyUser) -> QuerySet[KPI]:
    """The KPIs whose measurements `user` records (can_record_kpi_measurements, as a set)."""
    if is_administrator(user):
        return KPI.objects.all()
    return KPI.objects.filter(initiative__in=initiatives_editable_by(user).values("pk"))


def _visible(model: type[M], user: AnyUser) -> QuerySet[M]:
    manager = model._default_manager
    return manager.all() if sees_internal_tracking(user) else manager.none()


def _editable(model: type[M], user: AnyUser, *initiative_lookups: str) -> QuerySet[M]:
    """Objects of `model` hanging off an initiative `user` may work on, reached through any of
    `initiative_lookups` (e.g. "initiative", "milestone__initiative")."""
    editable = initiatives_editable_by(user).values("pk")
    condition = Q()
    for lookup in initiative_lookups:
        condition |= Q(**{f"{lookup}__in": editable})
    return model._default_manager.filter(condition)


def milestones_visible_to(user: AnyUser) -> QuerySet[Milestone]:
    return _visible(Milestone, user)


def milestones_editable_by(user: AnyUser) -> QuerySet[Milestone]:
    return _editable(Milestone, user, "initiative")


def projects_visible_to(user: AnyUser) -> QuerySet[Project]:
    return _visible(Project, user)


def projects_editable_by(user: AnyUser) -> QuerySet[Project]:
    return _editable(Project, user, "initiative")


def status_updates_visible_to(user: AnyUser) -> QuerySet[StatusUpdate]:
    return _visible(StatusUpdate, user)


def status_updates_editable_by(user: AnyUser) -> QuerySet[StatusUpdate]:
    """A narrative is its author's word: colleagues add their own rather than rewrite it."""
    if not user.is_authenticated:
        return StatusUpdate.objects.none()
    editable = _editable(StatusUpdate, user, "initiative", "milestone__initiative")
    return editable if is_administrator(user) else editable.filter(author=user)


def may_rewrite_status_update(user: AnyUser, update: StatusUpdate) -> bool:
    """status_updates_editable_by's author rule for one update already on the page."""
    return is_administrator(user) or update.author_id == user.pk


def kpis_visible_to(user: AnyUser) -> QuerySet[KPI]:
    return _visible(KPI, user)


def kpi_measurements_visible_to(user: AnyUser) -> QuerySet[KPIMeasurement]:
    return _visible(KPIMeasurement, user)


def country_plans_visible_to(user: AnyUser) -> QuerySet[CountryPlan]:
    return _visible(CountryPlan, user)


def reference_data_visible_to(user: AnyUser, model: type[M]) -> QuerySet[M]:
    """Regions, countries, strategic fields, organisations: the ministry's own lists."""
    return _visible(model, user)


def support_measures_visible_to(user: AnyUser) -> QuerySet[SupportMeasure]:
    """Published measures for everyone signed in, registered exporters included; drafts stay
    inside the ministry."""
    if not user.is_authenticated:
        return SupportMeasure.objects.none()
    measures = SupportMeasure.objects.all()
    return measures if sees_internal_tracking(user) else measures.filter(is_published=True)


def country_actions_visible_to(user: AnyUser) -> QuerySet[CountryAction]:
    return _visible(CountryAction, user)


def country_actions_editable_by(user: AnyUser) -> QuerySet[CountryAction]:
    return _editable(CountryAction, user, "plan__initiative")


def notifications_visible_to(user: AnyUser) -> QuerySet[Notification]:
    """Everyone sees their own notifications, and only theirs."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_notifications_of(user: AnyUser) -> QuerySet[Notification]:
    return notifications_visible_to(user).filter(read_at=None)


def home_role(user: AnyUser) -> str | None:
    """Whose home a person lands on: administrators run the system, managers review,
    officers do the work; nobody else has one in the admin."""
    if is_administrator(user):
        return Role.ADMINISTRATOR
    if is_reviewer(user):
        return Role.MANAGER
    if is_officer(user):
        return Role.OFFICER
    return None
