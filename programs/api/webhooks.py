"""/api/v1/webhooks/: administrators register the endpoints of organisations, read their
delivery logs and send test events. An endpoint's secret is in the answer to its creation
and to rotate-secret only."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import Organisation, User
from tracker.api.concurrency import IF_MATCH
from tracker.api.inputs import (
    CodeField,
    IdField,
    OneLineField,
    StrictBooleanField,
    StrictChoiceField,
    StrictInput,
)

from ..models import (
    SUBSCRIBABLE_EVENTS,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)
from ..selectors.access import is_administrator
from ..services.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_send_test,
    webhook_endpoint_update,
)
from .views import TrackerViewSet


class IsAdministrator(IsAuthenticated):
    message = _("Only administrators manage webhooks.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and is_administrator(request.user)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    events = serializers.ListField(child=StrictChoiceField(choices=SUBSCRIBABLE_EVENTS))
    failed_deliveries = serializers.IntegerField(
        read_only=True, help_text="Deliveries given up on after a day of retries.")

    class Meta:
        model = WebhookEndpoint
        fields = ("id", "organisation", "owner", "url", "description", "events", "is_active",
                  "created_at", "failed_deliveries")


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    """Answered once, on creation and on rotation: the receiver's copy of the secret."""

    secret = serializers.CharField(read_only=True)

    class Meta(WebhookEndpointSerializer.Meta):
        fields = (*WebhookEndpointSerializer.Meta.fields, "secret")  # type: ignore[assignment]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ("id", "event_id", "event_type", "status", "attempts", "last_status_code",
                  "last_error", "not_before", "created_at", "sent_at")


class WebhookEndpointInput(StrictInput):
    organisation = CodeField(slug_field="code", queryset=Organisation.objects.all())
    owner = IdField(queryset=User.objects.filter(is_active=True),
                    help_text="The account whose view of the data the payloads show: an "
                              "active member of the organisation.")
    url = serializers.URLField(max_length=500)
    description = OneLineField(max_length=200, required=False, allow_blank=True)
    events = serializers.ListField(child=StrictChoiceField(choices=SUBSCRIBABLE_EVENTS),
                                   allow_empty=False, max_length=len(SUBSCRIBABLE_EVENTS))
    is_active = StrictBooleanField(required=False)


class WebhookEndpointUpdateInput(WebhookEndpointInput):
    organisation = None  # type: ignore[assignment]  # an endpoint stays with its organisation


@extend_schema_view(
    list=extend_schema(summary="List webhook endpoints (administrators)"),
    retrieve=extend_schema(summary="Get a webhook endpoint (its secret is not shown again)"),
    create=extend_schema(summary="Register a webhook endpoint; the answer shows its signing "
                                 "secret, once", request=WebhookEndpointInput,
                         responses={201: WebhookEndpointWithSecretSerializer}),
    partial_update=extend_schema(summary="Change a webhook endpoint (send If-Match)",
                                 request=WebhookEndpointUpdateInput, parameters=[IF_MATCH]),
    destroy=extend_schema(summary="Remove a webhook endpoint and its delivery log (send "
                                  "If-Match)", parameters=[IF_MATCH]),
)
class WebhookEndpointViewSet(mixins.ListModelMixin, TrackerViewSet):
    """Endpoints have no version: a change names, in If-Match, the ETag of the endpoint as the
    administrator read it, and is refused when the endpoint has changed since."""

    permission_classes = [IsAdministrator]
    serializer_class = WebhookEndpointSerializer
    ordering_fields = ("id", "created_at")
    ordering = ("id",)

    def get_queryset(self):
        # Counted in the list's one query, not once per endpoint.
        return WebhookEndpoint.objects.select_related("organisation").annotate(
            failed_deliveries=Count("deliveries", filter=Q(
                deliveries__status=WebhookDeliveryStatus.FAILED)))

    def create(self, request):
        data = self.validated(WebhookEndpointInput)
        endpoint = webhook_endpoint_create(by=request.user, organisation=data.pop("organisation"),
                                           data=data)
        return self.respond(endpoint, status.HTTP_201_CREATED,
                            serializer_class=WebhookEndpointWithSecretSerializer)

    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        data = self.validated(WebhookEndpointUpdateInput, partial=True)
        with self.unchanged_since_read(endpoint):
            endpoint = webhook_endpoint_update(endpoint=endpoint, by=request.user, data=data)
        return self.respond(endpoint)

    def destroy(self, request, pk=None):
        endpoint = self.get_object()
        with self.unchanged_since_read(endpoint):
            webhook_endpoint_delete(endpoint=endpoint, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Replace the signing secret (the old one stops working at once); "
                           "the answer shows the new one, once (send If-Match)",
                   request=None, responses=WebhookEndpointWithSecretSerializer,
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        with self.unchanged_since_read(endpoint):
            endpoint = webhook_endpoint_rotate_secret(endpoint=endpoint, by=request.user)
        return self.respond(endpoint, serializer_class=WebhookEndpointWithSecretSerializer)

    @extend_schema(summary="Send a signed test event (type ping) to the endpoint as you read "
                           "it (send If-Match); it is queued (202), its outcome is in the "
                           "delivery log",
                   request=None, responses={202: WebhookDeliverySerializer},
                   parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        endpoint = self.get_object()
        with self.unchanged_since_read(endpoint):
            delivery = webhook_endpoint_send_test(endpoint=endpoint, by=request.user)
        return Response(WebhookDeliverySerializer(delivery).data,
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="The endpoint's delivery log, newest first: status, attempts, last "
                           "response code or error",
                   responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"], ordering_fields=())
    def deliveries(self, request, pk=None):
        return self.paginated(self.get_object().deliveries.order_by("-created_at", "-id"),
                              WebhookDeliverySerializer)
