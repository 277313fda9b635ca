"""The exporter API: registration and confirmation (anonymous), a company's own profile and
the measures that fit it (the exporter), and the review of registrations (internal roles)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import is_exporter
from programs.api.serializers import SupportMeasureSerializer
from programs.selectors.access import can_read_exporters
from programs.selectors.support import Fit
from programs.services.common import today
from tracker.api.concurrency import IF_MATCH, lock_row, tag_content, unchanged_since_read
from tracker.api.pagination import PageFirstPagination

from ..cards import matched_names
from ..models import ExporterProfile, ExporterStatus
from ..prefectures import Prefecture
from ..selectors import exporters_visible_to, measures_fitting, registrations
from ..services.registrations import (
    exporter_approve,
    exporter_register,
    exporter_reject,
    exporter_update_profile,
    exporter_verify_email,
)
from .fit_rows import fit_representations
from .serializers import (
    ExporterProfileInput,
    ExporterProfileSerializer,
    ExporterRegistrationInput,
    RejectionInput,
    VerificationInput,
)


def validated(input_class, request, **kwargs):
    data = input_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def profile_data(pk):
    """A registration as the API shows it, read now: what its ETag is a hash of (its reader,
    the company itself or a reviewer, is checked before)."""
    return ExporterProfileSerializer(registrations().get(pk=pk)).data


def unchanged_profile(request, pk):
    """Profiles have no version: a change runs only if If-Match names the profile's current
    representation (checked with its row locked, in the change's transaction)."""
    return unchanged_since_read(request, lock=lambda: lock_row(ExporterProfile, pk),
                                represent=lambda: profile_data(pk))


def profile_response(pk):
    return tag_content(Response(profile_data(pk)))


class IsExporter(permissions.IsAuthenticated):
    """A registered exporter's own endpoints (signing in already needs an approval)."""

    message = _("This is for registered exporters.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and is_exporter(request.user)


class RegisterView(APIView):
    """A company registers for the food-export programme."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "register"
    public_endpoint = True

    @extend_schema(summary="Register a company (then confirm the e-mail address)",
                   request=ExporterRegistrationInput,
                   responses={201: inline_serializer("Registered", {
                       "status": serializers.CharField()})})
    def post(self, request):
        data = validated(ExporterRegistrationInput, request)
        profile = exporter_register(data=data)
        return Response({"status": profile.status}, status=status.HTTP_201_CREATED)


class VerifyView(APIView):
    """The applicant confirms the e-mail address with the token from the e-mail."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "register"
    public_endpoint = True

    @extend_schema(summary="Confirm a registration's e-mail address", request=VerificationInput,
                   responses={200: inline_serializer("Verified", {
                       "status": serializers.CharField()})})
    def post(self, request):
        profile = exporter_verify_email(token=validated(VerificationInput, request)["token"])
        return Response({"status": profile.status})


class ExporterMeView(APIView):
    """The caller's own company profile."""

    permission_classes = [IsExporter]

    @extend_schema(summary="My company profile", responses=ExporterProfileSerializer)
    def get(self, request):
        return profile_response(request.user.exporter_profile.pk)

    @extend_schema(summary="Change my company profile (not the corporate number; send "
                           "If-Match)",
                   request=ExporterProfileInput, responses=ExporterProfileSerializer,
                   parameters=[IF_MATCH])
    def patch(self, request):
        data = validated(ExporterProfileInput, request, partial=True)
        profile = request.user.exporter_profile
        with unchanged_profile(request, profile.pk):
            exporter_update_profile(profile=profile, by=request.user, data=data)
        return profile_response(profile.pk)


class FitSerializer(serializers.Serializer):
    measure = SupportMeasureSerializer()
    score = serializers.IntegerField(help_text="Higher is a closer fit.")
    matched_categories = serializers.ListField(
        source="categories", child=serializers.CharField(), allow_null=True,
        help_text="Your categories the measure names; null: it is open to every category.")
    matched_markets = serializers.ListField(
        source="markets", child=serializers.CharField(), allow_null=True,
        help_text="Your markets the measure names; null: it is open to every market.")
    matched_category_names = serializers.SerializerMethodField(
        help_text="The matched categories' names in the caller's language; null as above.")
    matched_market_names = serializers.SerializerMethodField(
        help_text="The matched markets' names in the caller's language; null as above.")
    window = serializers.ChoiceField(choices=["open", "upcoming", "always"])

    def get_matched_category_names(self, fit) -> list[str] | None:
        return matched_names(fit)[0]

    def get_matched_market_names(self, fit) -> list[str] | None:
        return matched_names(fit)[1]


class ExporterMeasuresView(generics.GenericAPIView):
    """The published measures that fit the caller's company, best fit first, a page at a time
    (the ranking is the database's, so a page reads only its own measures)."""

    permission_classes = [IsExporter]
    serializer_class = FitSerializer  # what the schema documents; fit_rows builds the page
    filter_backends = []  # ranked by fit: no search or ordering of its own
    pagination_class = PageFirstPagination  # the page's query brings the count

    @extend_schema(summary="Support measures for my company, ranked, with why they fit",
                   responses=FitSerializer(many=True))
    def get(self, request):
        fits = measures_fitting(request.user.exporter_profile, on=today())
        # Any sliceable sequence pages (the stubs say QuerySet): the fits read one page's rows.
        page: list[Fit] = self.paginate_queryset(fits) or []  # type: ignore[arg-type]
        return self.get_paginated_response(fit_representations(page))


class ExporterFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ExporterStatus.choices)
    prefecture = django_filters.ChoiceFilter(choices=Prefecture.choices)
    product_category = django_filters.CharFilter(field_name="product_categories__code",
                                                 distinct=True)
    market = django_filters.CharFilter(field_name="target_markets__iso2", distinct=True)

    class Meta:
        model = ExporterProfile
        fields = ()


class ReadsRegistrations(permissions.IsAuthenticated):
    """Those who review registrations, and the managers (can_read_exporters)."""

    message = _("Registrations are read by the officers who review them and by managers.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and can_read_exporters(request.user)


@extend_schema_view(list=extend_schema(summary="List registered exporters"),
                    retrieve=extend_schema(summary="Get a registered exporter"))
class ExporterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):  # retrieve: tagged with its ETag
    """Registrations, for the ministry: officers of the food-export programme review them."""

    permission_classes = [ReadsRegistrations]
    serializer_class = ExporterProfileSerializer
    filterset_class = ExporterFilter
    search_fields = ("company_name", "company_name_en", "corporate_number", "contact_name",
                     "user__email")
    ordering_fields = ("created_at", "company_name")
    ordering = ("-created_at",)
    lookup_value_regex = "[0-9]+"  # \d would take full-width digits too
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return exporters_visible_to(self.request.user)

    def retrieve(self, request, pk=None):
        return profile_response(self.get_object().pk)

    @extend_schema(summary="Approve a registration (send If-Match)", request=None,
                   responses=ExporterProfileSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        profile = self.get_object()
        with unchanged_profile(request, profile.pk):
            exporter_approve(profile=profile, by=request.user)
        return profile_response(profile.pk)

    @extend_schema(summary="Reject a registration, with the reason (send If-Match)",
                   request=RejectionInput, responses=ExporterProfileSerializer,
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        profile = self.get_object()
        reason = validated(RejectionInput, request)["reason"]
        with unchanged_profile(request, profile.pk):
            exporter_reject(profile=profile, by=request.user, reason=reason)
        return profile_response(profile.pk)
