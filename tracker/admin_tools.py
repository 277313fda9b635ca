"""What every admin page of the tracker shares and that knows nothing of people or the domain."""

from django.db import models

from .text import validate_one_line


class OneLineCharFields:
    """Every one-line field of a model (titles, names, codes: a CharField) refuses line
    breaks and control characters in the admin's forms, as the API does."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if isinstance(db_field, models.CharField) and formfield is not None:
            formfield.validators.append(validate_one_line)
        return formfield
