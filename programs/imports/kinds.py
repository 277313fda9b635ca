"""The kinds of import, by the key in their URLs."""

from .country_actions import CountryActionImport
from .kind import ImportKind
from .measurements import KPIMeasurementImport
from .milestones import MilestoneImport

KINDS: dict[str, ImportKind] = {kind.key: kind for kind in (
    MilestoneImport(), KPIMeasurementImport(), CountryActionImport())}
