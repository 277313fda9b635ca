from . import country_plans, initiatives, milestones, reference  # noqa: F401  (registration)
