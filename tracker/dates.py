"""The dates the tracker accepts."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every date the tracker accepts, in a body, a query parameter, a form, a spreadsheet or on the
# command line, lies in this range: a plan names no earlier or later day, and date arithmetic
# near year 1 or 9999 overflows (a form's year 1900 drew every report's time axis from 1900).
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def date_out_of_range_message():
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}


def check_date_in_range(value):
    """A Django validator: `value` within EARLIEST_DATE..LATEST_DATE (code date_out_of_range)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(date_out_of_range_message(), code="date_out_of_range")
