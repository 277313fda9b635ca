from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views
from .imports import import_template_view, import_view
from .reports import REPORT_FILES, ReportView
from .webhooks import WebhookEndpointViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("status-updates", views.StatusUpdateViewSet, basename="status-update")
router.register("kpis", views.KPIViewSet, basename="kpi")
router.register("regions", views.RegionViewSet, basename="region")
router.register("countries", views.CountryViewSet, basename="country")
router.register("strategic-fields", views.StrategicFieldViewSet, basename="strategic-field")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("country-plans", views.CountryPlanViewSet, basename="country-plan")
router.register("country-actions", views.CountryActionViewSet, basename="country-action")
router.register("support-measures", views.SupportMeasureViewSet, basename="support-measure")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("notification-preferences", views.NotificationPreferenceViewSet,
                basename="notification-preference")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")

urlpatterns = [
    path("reports/portfolio/", ReportView.as_view(), name="report-portfolio"),
    path("reports/initiatives/<int:pk>/", ReportView.as_view(), name="report-initiative"),
    *[route for file in REPORT_FILES for extension in [file.renderer.format] for route in (
        path(f"reports/portfolio/{extension}/", ReportView.as_view(file=file),
             name=f"report-portfolio-{extension}"),
        path(f"reports/initiatives/<int:pk>/{extension}/", ReportView.as_view(file=file),
             name=f"report-initiative-{extension}"))],
    *[route for kind in ("milestones", "kpi-measurements", "country-actions") for route in (
        path(f"imports/{kind}/", import_view(kind), name=f"import-{kind}"),
        path(f"imports/{kind}/template/", import_template_view(kind),
             name=f"import-{kind}-template"))],
    *router.urls,
]
