from .choices import (
    CLOSED_STATUSES,
    Health,
    InitiativeStatus,
    KPIDirection,
    KPIUnit,
    ProjectPhase,
    SupportKind,
    WorkStatus,
)
from .country_plan import CountryAction, CountryPlan, CountryPlanField
from .geography import Country, Region, StrategicField
from .imports import ImportUpload
from .initiative import Initiative, Project
from .kpi import KPI, KPIMeasurement
from .milestone import Milestone, StatusUpdate
from .notification import (
    DEFAULT_REMINDER_HOUR,
    Delivery,
    DeliveryStatus,
    Frequency,
    Notification,
    NotificationPreference,
    ReminderKind,
    ReminderTime,
)
from .progress_report import ProgressReport, ReportStatus
from .saved_filter import SavedListFilter
from .support import ProductCategory, SupportMeasure
from .tally import (
    MilestoneMonthTally,
    MilestoneTally,
    OpenMilestoneTally,
    TallyPlace,
    TallySeries,
)
from .webhook import (
    SUBSCRIBABLE_EVENTS,
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ = [
    "DEFAULT_REMINDER_HOUR",
    "CLOSED_STATUSES", "Health", "InitiativeStatus", "KPIDirection", "KPIUnit", "ProjectPhase",
    "SupportKind", "WorkStatus", "CountryAction", "CountryPlan", "CountryPlanField", "Country",
    "Region", "StrategicField", "Initiative", "Project", "KPI", "KPIMeasurement", "Milestone",
    "StatusUpdate", "ProductCategory", "SupportMeasure", "Delivery", "DeliveryStatus",
    "Frequency", "Notification", "NotificationPreference", "ReminderKind", "ReminderTime",
    "ProgressReport",
    "ReportStatus",
    "ImportUpload",
    "SavedListFilter",
    "MilestoneMonthTally", "MilestoneTally", "OpenMilestoneTally", "TallyPlace", "TallySeries",
    "SUBSCRIBABLE_EVENTS", "WebhookAttempt", "WebhookDelivery", "WebhookDeliveryStatus",
    "WebhookEndpoint", "WebhookEvent",
]
