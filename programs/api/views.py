"""API views: thin. Reads come from the access selectors, writes go through the services."""

from django.conf import settings
from django.db.models import Model, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api.serializers import OrganisationSerializer
from accounts.models import Organisation, User
from tracker.api.concurrency import (
    IF_MATCH,
    IF_MATCH_TO_CORRECT,
    content_etag,
    expected_version,
    lock_row,
    tag_content,
    tag_representation,
    unchanged_since_read,
)

from ..models import (
    Country,
    CountryPlanField,
    ProductCategory,
    Region,
    ReminderKind,
    StrategicField,
)
from ..reporting import labels
from ..selectors import access
from ..services.initiatives import initiative_create, initiative_set_health, initiative_update
from ..services.milestones import (
    milestone_create,
    milestone_delete,
    milestone_transition,
    milestone_update,
)
from ..services.notifications import (
    CHOOSABLE_KINDS,
    notification_mark_read,
    notification_preference_set,
    notifications_mark_all_read,
    preferences_of,
    reminder_hour_of,
    reminder_time_set,
)
from ..services.progress_reports import (
    progress_report_approve,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
)
from ..services.work_items import (
    country_action_update,
    kpi_measurement_record,
    project_create,
    project_update,
    status_update_create,
    status_update_delete,
    status_update_update,
)
from . import filters, forms, inputs, serializers
from .downloads import attachment
from .list_rows import MilestoneRows, milestone_representations
from .permissions import SeesInternalTracking
from .progress_report_pdf import ProgressReportPDFRenderer


class TrackerViewSet(viewsets.GenericViewSet):
    """Shared plumbing: validation of write input, ETags on single records."""

    permission_classes = [SeesInternalTracking]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # ASCII digits only: "１" (full-width) would otherwise name record 1.
    lookup_value_regex = "[0-9]+"

    def validated(self, input_class, **kwargs):
        data = input_class(data=self.request.data, context=self.get_serializer_context(),
                           **kwargs)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def respond(self, obj, status_code=status.HTTP_200_OK, serializer_class=None):
        """The record as the API shows it (read again through the scoped queryset), with its
        ETag: a versioned record's version and body, another record's representation (as GET
        shows it, also when this answer shows more, such as a webhook's new secret)."""
        fresh = self.get_queryset().get(pk=obj.pk)
        serializer_class = serializer_class or self.get_serializer_class()
        data = serializer_class(fresh, context=self.get_serializer_context()).data
        response = Response(data, status=status_code)
        if hasattr(fresh, "version"):
            tag_representation(response, fresh.version)
        else:
            if serializer_class is not self.get_serializer_class():
                data = self.get_serializer(fresh).data
            response["ETag"] = content_etag(data)
        return response

    def unchanged_since_read(self, obj):
        """For a record without a version: the write in the `with` runs only if the caller's
        If-Match names the record's current representation (checked with the row locked,
        in the write's transaction)."""
        return unchanged_since_read(
            self.request, lock=lambda: lock_row(type(obj), obj.pk),
            represent=lambda: self.get_serializer(
                get_object_or_404(self.get_queryset(), pk=obj.pk)).data)

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    def nested_status_updates(self, **subject):
        """GET: the subject's status updates; POST: add one, written by the caller."""
        if self.request.method == "GET":
            updates = access.status_updates_visible_to(self.request.user).filter(
                **subject).select_related("author")
            return self.paginated(updates, serializers.StatusUpdateSerializer)
        update = status_update_create(by=self.request.user,  # type: ignore[arg-type]
                                      data=self.validated(inputs.StatusUpdateInput), **subject)
        response = Response(serializers.StatusUpdateSerializer(
            update, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)
        return tag_representation(response, update.version)

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class ListRetrieveViewSet(mixins.ListModelMixin, TrackerViewSet):
    http_method_names = ["get", "head", "options"]


# --- initiatives ----------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="List initiatives (tree: ?parent=, ?descendants_of=)"),
    retrieve=extend_schema(summary="Get an initiative"),
    create=extend_schema(summary="Create an initiative (administrators)",
                         request=inputs.InitiativeCreateInput),
    partial_update=extend_schema(summary="Change an initiative (its owner, administrators)",
                                 request=inputs.InitiativeUpdateInput, parameters=[IF_MATCH]),
    form=extend_schema(summary="What you may change on an initiative now"),
)
class InitiativeViewSet(forms.FormAction, mixins.ListModelMixin, TrackerViewSet):
    serializer_class = serializers.InitiativeSerializer
    form_serializer, form_of = forms.InitiativeFormSerializer, staticmethod(forms.initiative_form)
    filterset_class = filters.InitiativeFilter
    search_fields = ("code", "name_ja", "name_en", "summary_ja", "summary_en")
    ordering_fields = ("path", "code", "name_ja", "status", "health", "end_on", "updated_at")
    ordering = ("path",)

    def get_queryset(self):
        visible = access.initiatives_visible_to(self.request.user)
        if self.action == "status_updates":
            return visible  # the nested list shows the updates, not the initiative
        return visible.select_related(
            "lead_organisation", "owner", "health_set_by",
        ).prefetch_related(
            Prefetch("members", queryset=User.objects.only(
                "id", "username", "first_name", "last_name")),
            "countries", "fields",
        )

    def create(self, request):
        data = self.validated(inputs.InitiativeCreateInput)
        code = data.pop("code")
        initiative = initiative_create(by=request.user, code=code, data=data)
        return self.respond(initiative, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        initiative = self.get_object()
        data = self.validated(inputs.InitiativeUpdateInput, partial=True)
        initiative_update(initiative=initiative, by=request.user, data=data,
                          expected_version=expected_version(request))
        return self.respond(initiative)

    @extend_schema(summary="Set an initiative's health (green/amber/red) with its reason",
                   request=inputs.HealthInput, responses=serializers.InitiativeSerializer,
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def health(self, request, pk=None):
        initiative = self.get_object()
        data = self.validated(inputs.HealthInput)
        initiative_set_health(initiative=initiative, by=request.user, health=data["health"],
                              note=data.get("note", ""),
                              expected_version=expected_version(request))
        return self.respond(initiative)

    @extend_schema(methods=["get"], summary="List an initiative's status updates",
                   responses=serializers.StatusUpdateSerializer(many=True))
    @extend_schema(methods=["post"], summary="Add a status update to an initiative",
                   request=inputs.StatusUpdateInput,
                   responses={201: serializers.StatusUpdateSerializer})
    @action(detail=True, methods=["get", "post"], url_path="status-updates",
            filterset_class=None, search_fields=(), ordering_fields=())
    def status_updates(self, request, pk=None):
        return self.nested_status_updates(initiative=self.get_object())


# --- projects -------------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="List projects (案件)"),
    retrieve=extend_schema(summary="Get a project"),
    create=extend_schema(summary="Create a project under an initiative you work on",
                         request=inputs.ProjectCreateInput),
    partial_update=extend_schema(summary="Change a project", request=inputs.ProjectUpdateInput,
                                 parameters=[IF_MATCH]),
)
class ProjectViewSet(mixins.ListModelMixin, TrackerViewSet):
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter
    search_fields = ("code", "name_ja", "name_en", "summary_ja", "summary_en")
    ordering_fields = ("code", "name_ja", "phase", "updated_at")
    ordering = ("code",)

    def get_queryset(self):
        return access.projects_visible_to(self.request.user).select_related(
            "initiative").prefetch_related("countries", "partners")

    def create(self, request):
        data = self.validated(inputs.ProjectCreateInput)
        project = project_create(initiative=data.pop("initiative"), code=data.pop("code"),
                                 by=request.user, data=data)
        return self.respond(project, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        project = self.get_object()
        project_update(project=project, by=request.user,
                       data=self.validated(inputs.ProjectUpdateInput, partial=True),
                       expected_version=expected_version(request))
        return self.respond(project)


# --- milestones -----------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="List milestones (filters: status, health, owner, initiative, "
                               "country, region, field, due_before/after, overdue, slipped)"),
    retrieve=extend_schema(summary="Get a milestone (its ETag is its version)"),
    create=extend_schema(summary="Create a milestone in an initiative you work on",
                         request=inputs.MilestoneCreateInput),
    partial_update=extend_schema(summary="Change a milestone (send If-Match)",
                                 request=inputs.MilestoneUpdateInput, parameters=[IF_MATCH]),
    destroy=extend_schema(summary="Delete a milestone entered by mistake (send If-Match)",
                          parameters=[IF_MATCH]),
    form=extend_schema(summary="What you may change on a milestone now, and the statuses "
                               "you may move it to"),
)
class MilestoneViewSet(forms.FormAction, mixins.ListModelMixin, TrackerViewSet):
    serializer_class = serializers.MilestoneSerializer
    form_serializer, form_of = forms.MilestoneFormSerializer, staticmethod(forms.milestone_form)
    filterset_class = filters.MilestoneFilter
    search_fields = ("title_ja", "title_en", "description", "initiative__code",
                     "initiative__name_ja", "initiative__name_en")
    ordering_fields = ("planned_due_on", "baseline_due_on", "status", "health",
                       "percent_complete", "updated_at", "id")
    ordering = ("planned_due_on", "id")
    applied_filterset: filters.MilestoneFilter  # by tracker.api.filtering.FilterBackend

    def get_queryset(self):
        return access.milestones_visible_to(self.request.user).select_related(
            "initiative", "owner")

    def list(self, request):
        # The busiest read: a page built from its columns (list_rows), not the serializer.
        # A sliceable, countable sequence pages (the stubs say QuerySet); a page is never None.
        milestones = self.filter_queryset(self.get_queryset())
        rows = MilestoneRows(milestones, count=self.applied_filterset.tallied_count(
            searched=bool(SearchFilter().get_search_terms(request))))
        page: list[tuple] = self.paginate_queryset(rows) or []  # type: ignore[arg-type]
        return self.get_paginated_response(
            milestone_representations(page, today=timezone.localdate()))

    def create(self, request):
        data = self.validated(inputs.MilestoneCreateInput)
        milestone = milestone_create(initiative=data.pop("initiative"), by=request.user,
                                     data=data)
        return self.respond(milestone, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        milestone = self.get_object()
        milestone_update(milestone=milestone, by=request.user,
                         data=self.validated(inputs.MilestoneUpdateInput, partial=True),
                         expected_version=expected_version(request))
        return self.respond(milestone)

    def destroy(self, request, pk=None):
        milestone_delete(milestone=self.get_object(), by=request.user,
                         expected_version=expected_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Move a milestone through the workflow (send If-Match)",
                   request=inputs.TransitionInput, responses=serializers.MilestoneSerializer,
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        milestone = self.get_object()
        data = self.validated(inputs.TransitionInput)
        milestone_transition(milestone=milestone, to=data["to"], by=request.user,
                             completed_on=data.get("completed_on"),
                             expected_version=expected_version(request))
        return self.respond(milestone)

    @extend_schema(methods=["get"], summary="List a milestone's status updates",
                   responses=serializers.StatusUpdateSerializer(many=True))
    @extend_schema(methods=["post"], summary="Add a status update to a milestone",
                   request=inputs.StatusUpdateInput,
                   responses={201: serializers.StatusUpdateSerializer})
    @action(detail=True, methods=["get", "post"], url_path="status-updates",
            filterset_class=None, search_fields=(), ordering_fields=())
    def status_updates(self, request, pk=None):
        return self.nested_status_updates(milestone=self.get_object())


@extend_schema_view(
    list=extend_schema(summary="List status updates"),
    retrieve=extend_schema(summary="Get a status update"),
    partial_update=extend_schema(summary="Correct your own status update (send If-Match)",
                                 request=inputs.StatusUpdateInput, parameters=[IF_MATCH]),
    destroy=extend_schema(summary="Delete your own status update (send If-Match)",
                          parameters=[IF_MATCH]),
)
class StatusUpdateViewSet(mixins.ListModelMixin, TrackerViewSet):
    serializer_class = serializers.StatusUpdateSerializer
    filterset_fields = ("milestone", "initiative", "author", "health")
    search_fields = ("summary", "risks", "next_steps")
    ordering_fields = ("reported_on", "created_at")
    ordering = ("-reported_on", "-id")

    def get_queryset(self):
        return access.status_updates_visible_to(self.request.user).select_related("author")

    def partial_update(self, request, pk=None):
        update = self.get_object()
        status_update_update(status_update=update, by=request.user,
                             data=self.validated(inputs.StatusUpdateInput, partial=True),
                             expected_version=expected_version(request))
        return self.respond(update)

    def destroy(self, request, pk=None):
        status_update_delete(status_update=self.get_object(), by=request.user,
                             expected_version=expected_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- KPIs -----------------------------------------------------------------------------------

@extend_schema_view(list=extend_schema(summary="List KPIs with their measurements"),
                    retrieve=extend_schema(summary="Get a KPI with its measurements"))
class KPIViewSet(ListRetrieveViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = serializers.KPISerializer
    filterset_class = filters.KPIFilter
    search_fields = ("code", "name_ja", "name_en")
    ordering_fields = ("code", "target_year")
    ordering = ("code",)

    def get_queryset(self):
        kpis = access.kpis_visible_to(self.request.user)
        if self.action == "measurements":
            return kpis  # the nested list pages the measurements itself
        return kpis.select_related("initiative").prefetch_related(Prefetch(
            "measurements", queryset=access.kpi_measurements_visible_to(
                self.request.user).select_related("recorded_by")))

    @extend_schema(methods=["get"], summary="List a KPI's measurements",
                   responses=serializers.KPIMeasurementSerializer(many=True))
    @extend_schema(methods=["post"], summary="Record a KPI's value for a period (201), or "
                                             "correct the recorded one (200; send If-Match)",
                   request=inputs.KPIMeasurementInput, parameters=[IF_MATCH_TO_CORRECT],
                   responses={201: serializers.KPIMeasurementSerializer,
                              200: serializers.KPIMeasurementSerializer})
    @action(detail=True, methods=["get", "post"], filterset_class=None, search_fields=(),
            ordering_fields=())
    def measurements(self, request, pk=None):
        kpi = self.get_object()
        if request.method == "GET":
            measurements = access.kpi_measurements_visible_to(request.user).filter(
                kpi=kpi).select_related("recorded_by").order_by("period_on")
            return self.paginated(measurements, serializers.KPIMeasurementSerializer)
        data = self.validated(inputs.KPIMeasurementInput)
        # A first recording needs no If-Match; correcting the recorded value does.
        version_named = "If-Match" in request.headers
        measurement, created = kpi_measurement_record(
            kpi=kpi, by=request.user, version_named=version_named,
            expected_version=expected_version(request) if version_named else None, **data)
        response = Response(serializers.KPIMeasurementSerializer(
            measurement, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
        return tag_representation(response, measurement.version)


# --- geography and reference data -----------------------------------------------------------

class ReferenceDataViewSet(ListRetrieveViewSet):
    """A list of reference data: `model`'s records, read through the access selectors."""

    model: type[Model]  # set by each list

    def get_queryset(self):
        return access.reference_data_visible_to(self.request.user, self.model)


@extend_schema_view(list=extend_schema(summary="List the regions of the regional strategies"),
                    retrieve=extend_schema(summary="Get a region"))
class RegionViewSet(ReferenceDataViewSet):
    """The six regions of the regional strategies."""

    model = Region
    serializer_class = serializers.RegionSerializer
    filterset_fields = ("code",)
    search_fields = ("code", "name_ja", "name_en")
    ordering_fields = ("order", "code")
    ordering = ("order",)


@extend_schema_view(list=extend_schema(summary="List countries (?region=, ?in_regional_tables=)"),
                    retrieve=extend_schema(summary="Get a country"))
class CountryViewSet(ReferenceDataViewSet):
    """The countries the strategy names, each in its region."""

    model = Country
    serializer_class = serializers.CountrySerializer
    filterset_class = filters.CountryFilter
    search_fields = ("iso2", "name_ja", "name_en")
    ordering_fields = ("iso2", "name_en")
    ordering = ("iso2",)

    def get_queryset(self):
        return super().get_queryset().select_related("region")


@extend_schema_view(list=extend_schema(summary="List the strategic fields"),
                    retrieve=extend_schema(summary="Get a strategic field"))
class StrategicFieldViewSet(ReferenceDataViewSet):
    """The strategy's fields (energy, food, digital...), which initiatives belong to."""

    model = StrategicField
    serializer_class = serializers.StrategicFieldSerializer
    search_fields = ("code", "name_ja", "name_en")
    ordering_fields = ("code",)
    ordering = ("code",)


@extend_schema_view(
    list=extend_schema(summary="List organisations (ministries, agencies, providers; ?kind=)"),
    retrieve=extend_schema(summary="Get an organisation"))
class OrganisationViewSet(ReferenceDataViewSet):
    """The ministries, agencies and bodies the strategy names: leads, partners, providers."""

    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_fields = ("kind",)
    search_fields = ("code", "name_ja", "name_en", "abbreviation")
    ordering_fields = ("code",)
    ordering = ("code",)


@extend_schema_view(list=extend_schema(summary="List country plans with their actions"),
                    retrieve=extend_schema(summary="Get a country plan with its actions"))
class CountryPlanViewSet(ListRetrieveViewSet):
    serializer_class = serializers.CountryPlanSerializer
    filterset_class = filters.CountryPlanFilter
    search_fields = ("country__name_ja", "country__name_en", "country__iso2", "fields_quote")
    ordering_fields = ("id",)
    ordering = ("country__region__order", "id")

    def get_queryset(self):
        return access.country_plans_visible_to(self.request.user).select_related(
            "country__region", "initiative").prefetch_related(
            Prefetch("plan_fields", queryset=CountryPlanField.objects.select_related("field")),
            Prefetch("actions", queryset=access.country_actions_visible_to(
                self.request.user).select_related("owner", "plan__country").order_by("order")),
        )


@extend_schema_view(
    list=extend_schema(summary="List country actions"),
    retrieve=extend_schema(summary="Get a country action"),
    partial_update=extend_schema(summary="Change a country action: owner, status, dates "
                                         "(send If-Match)",
                                 request=inputs.CountryActionUpdateInput, parameters=[IF_MATCH]),
    form=extend_schema(summary="What you may change on a country action now, and the "
                               "statuses you may move it to"),
)
class CountryActionViewSet(forms.FormAction, mixins.ListModelMixin, TrackerViewSet):
    serializer_class = serializers.CountryActionSerializer
    form_serializer = forms.CountryActionFormSerializer
    form_of = staticmethod(forms.country_action_form)
    filterset_class = filters.CountryActionFilter
    search_fields = ("text_ja", "text_en", "plan__country__name_ja")
    ordering_fields = ("due_on", "status", "id")
    ordering = ("plan__country__region__order", "plan_id", "order")

    def get_queryset(self):
        return access.country_actions_visible_to(self.request.user).select_related(
            "owner", "plan__country")

    def partial_update(self, request, pk=None):
        action_ = self.get_object()
        country_action_update(action=action_, by=request.user,
                              data=self.validated(inputs.CountryActionUpdateInput, partial=True),
                              expected_version=expected_version(request))
        return self.respond(action_)


@extend_schema_view(
    list=extend_schema(summary="List support measures (filters: provider, kind, category, "
                               "market, open_now, search)"),
    retrieve=extend_schema(summary="Get a support measure"),
)
class SupportMeasureViewSet(ListRetrieveViewSet):
    """Support measures are public to every signed-in user, registered exporters included."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.SupportMeasureSerializer
    filterset_class = filters.SupportMeasureFilter
    search_fields = ("code", "name_ja", "name_en", "summary_ja", "summary_en")
    ordering_fields = ("code", "opens_on", "closes_on")
    ordering = ("code",)

    def get_queryset(self):
        return access.support_measures_visible_to(self.request.user).select_related(
            "provider").prefetch_related(
            Prefetch("product_categories", queryset=ProductCategory.objects.order_by("order")),
            "target_markets")


# --- notifications --------------------------------------------------------------------------

@extend_schema_view(list=extend_schema(summary="List my notifications (?unread=true)"),
                    retrieve=extend_schema(summary="Get one of my notifications"))
class NotificationViewSet(ListRetrieveViewSet):
    """Each signed-in person's own in-app notifications."""

    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.NotificationSerializer
    filterset_class = filters.NotificationFilter
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        return access.notifications_visible_to(self.request.user).select_related(
            "subject_type")

    @extend_schema(summary="Mark a notification read (send If-Match)", request=None,
                   responses=serializers.NotificationSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        with self.unchanged_since_read(notification):
            notification_mark_read(notification=notification, by=request.user)
        return self.respond(notification)

    @extend_schema(summary="Mark all my notifications read",
                   description="Acts on a collection, not on one record: there is no single "
                               "representation for an If-Match to name, so none is asked for. "
                               "It only marks read what is unread, so it overwrites nothing.",
                   request=None,
                   responses={200: inline_serializer("MarkedRead", {
                       "marked_read": drf_serializers.IntegerField()})})
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None)
    def read_all(self, request):
        return Response({"marked_read": notifications_mark_all_read(by=request.user)})


# Typed as the kinds' enum component (see schema.generator_friendly); the daily digest and
# account messages always go out, so there is no preference for them (404).
KIND = OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH,
                        enum=list(ReminderKind.values),
                        description="A kind of reminder one may choose for: not "
                                    "`daily_digest` nor `account`, which always go out (404).")


@extend_schema_view(
    list=extend_schema(summary="My reminder preferences, one per kind"),
    partial_update=extend_schema(summary="Turn a kind of reminder on or off, or choose "
                                         "immediate or daily digest (send If-Match)",
                                 request=inputs.NotificationPreferenceInput,
                                 parameters=[KIND, IF_MATCH]),
)
class NotificationPreferenceViewSet(TrackerViewSet):
    """A person's own reminder preferences. They have no version: a change names, in
    If-Match, the ETag of the preference (or hour) as the person read it, and is refused
    when it has changed since. The person's row is what is locked while that is checked,
    as the preference itself may not have been saved yet."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.NotificationPreferenceSerializer
    lookup_field = "kind"
    lookup_value_regex = "(?:" + "|".join(CHOOSABLE_KINDS) + ")"
    filter_backends = []
    pagination_class = None

    def list(self, request):
        return Response(self.get_serializer(preferences_of(request.user), many=True).data)

    def _preference_data(self, user, kind):
        return self.get_serializer(
            next(p for p in preferences_of(user) if p.kind == kind)).data

    @staticmethod
    def _hour_data(user):
        return serializers.ReminderHourSerializer(
            {"hour": reminder_hour_of(user), "time_zone": settings.TIME_ZONE}).data

    def _unchanged_since_read(self, user, represent):
        return unchanged_since_read(self.request, lock=lambda: lock_row(User, user.pk),
                                    represent=represent)

    @extend_schema(summary="My preference for one kind of reminder", parameters=[KIND])
    def retrieve(self, request, kind=None):
        return tag_content(Response(self._preference_data(request.user, kind)))

    def partial_update(self, request, kind=None):
        data = self.validated(inputs.NotificationPreferenceInput, partial=True)
        with self._unchanged_since_read(request.user,
                                        lambda: self._preference_data(request.user, kind)):
            notification_preference_set(user=request.user, kind=kind, **data)
        return tag_content(Response(self._preference_data(request.user, kind)))

    @extend_schema(methods=["GET"], summary="The hour my reminders of the day go out",
                   responses=serializers.ReminderHourSerializer)
    @extend_schema(methods=["PATCH"], summary="Choose the hour my reminders of the day go out "
                                              "(0-23, Japan time; send If-Match)",
                   request=inputs.ReminderHourInput, responses=serializers.ReminderHourSerializer,
                   parameters=[IF_MATCH])
    @action(detail=False, methods=["get", "patch"], url_path="hour")
    def hour(self, request):
        if request.method == "PATCH":
            # A PATCH like the others (an empty one is `empty_update`); hour is its one field.
            data = self.validated(inputs.ReminderHourInput, partial=True)
            with self._unchanged_since_read(request.user,
                                            lambda: self._hour_data(request.user)):
                reminder_time_set(user=request.user, **data)
        return tag_content(Response(self._hour_data(request.user)))


# --- periodic progress reports --------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="List progress reports (quarterly, per initiative)"),
    retrieve=extend_schema(summary="Get a progress report with its figures"),
    create=extend_schema(summary="Start the draft report of an initiative for a quarter",
                         request=inputs.ProgressReportCreateInput),
    partial_update=extend_schema(summary="Write the narrative of a draft or returned report "
                                         "(send If-Match)",
                                 request=inputs.ProgressReportUpdateInput, parameters=[IF_MATCH]),
    form=extend_schema(summary="What you may change on a progress report now, and the moves "
                               "you may make"),
)
class ProgressReportViewSet(forms.FormAction, mixins.ListModelMixin, TrackerViewSet):
    serializer_class = serializers.ProgressReportSerializer
    form_serializer = forms.ProgressReportFormSerializer
    form_of = staticmethod(forms.progress_report_form)
    filterset_class = filters.ProgressReportFilter
    ordering_fields = ("period", "updated_at", "submitted_at")
    ordering = ("-period", "id")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        reports = access.progress_reports_readable_by(self.request.user).select_related(
            "initiative", "prepared_by", "submitted_by", "reviewed_by")
        # The list leaves the (large) figures out; so does its query.
        return reports.defer("figures") if self.action == "list" else reports

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.ProgressReportListSerializer
        return super().get_serializer_class()

    def create(self, request):
        data = self.validated(inputs.ProgressReportCreateInput)
        report = progress_report_create(initiative=data["initiative"], period=data["period"],
                                        by=request.user)
        return self.respond(report, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        report = self.get_object()
        progress_report_update(report=report, by=request.user,
                               data=self.validated(inputs.ProgressReportUpdateInput,
                                                   partial=True),
                               expected_version=expected_version(request))
        return self.respond(report)

    @extend_schema(summary="Submit a report for review (officers; send If-Match)", request=None,
                   responses=serializers.ProgressReportSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        progress_report_submit(report=report, by=request.user,
                               expected_version=expected_version(request))
        return self.respond(report)

    @extend_schema(summary="Approve a submitted report (managers); it is then frozen",
                   request=None, responses=serializers.ProgressReportSerializer,
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self.get_object()
        progress_report_approve(report=report, by=request.user,
                                expected_version=expected_version(request))
        return self.respond(report)

    @extend_schema(summary="The report as a PDF document: its period, initiative, narrative, "
                           "frozen figures, and who submitted and approved it, when",
                   responses={(200, ProgressReportPDFRenderer.media_type): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[ProgressReportPDFRenderer])
    def pdf(self, request, pk=None):
        report = self.get_object()
        response = Response(report)
        response["Content-Disposition"] = attachment(
            f"progress-report-{report.initiative.code}-{report.period}.pdf",
            f"{_('Quarterly progress report')}-{report.initiative.name_ja}-"
            f"{labels.quarter(report.period)}.pdf")
        return response

    @extend_schema(summary="Return a submitted report for revision, with the reason (managers)",
                   request=inputs.ReturnInput, responses=serializers.ProgressReportSerializer,
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        progress_report_return(report=report, by=request.user,
                               reason=self.validated(inputs.ReturnInput)["reason"],
                               expected_version=expected_version(request))
        return self.respond(report)
