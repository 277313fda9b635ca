from . import (  # noqa: F401  (registration)
    country_plans,
    initiatives,
    milestones,
    notifications,
    progress_reports,
    reference,
)
