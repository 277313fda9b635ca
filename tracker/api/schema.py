from drf_spectacular.openapi import AutoSchema

from .errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input (see `fields`); nothing was saved.",
    "401": "Not authenticated.",
    "403": "Authenticated but not allowed.",
    "404": "No such record (or not one the caller may see), or no such page of a list.",
    "409": "The record's current state does not allow this (e.g. `invalid_transition`).",
    "412": "If-Match does not match the record's current ETag; nothing was saved.",
    "413": "The request body is larger than the API reads (API_MAX_BODY_BYTES).",
    "429": "Too many requests; retry later.",
}


class TrackerAutoSchema(AutoSchema):
    """Adds the error responses every operation can give, in the one error shape, and a
    summary from the view's docstring when the view gives none."""

    def get_summary(self):
        summary = super().get_summary()
        if summary:
            return summary
        action = getattr(self.view, "action", None) or self.method.lower()
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        name = model._meta.verbose_name_plural if model else self.view.__class__.__name__
        return f"{action.replace('_', ' ').capitalize()} {name}"

    def _error_codes(self):
        codes = ["401", "403", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE") or self._is_list_view():
            codes.append("400")  # bad input, or a filter value a list cannot use
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("413")
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE") and "{" in self.path:
            codes += ["409", "412"]
        return codes + [c for c in getattr(self.view, "extra_error_codes", ()) if c not in codes]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        public = getattr(self.view, "public_endpoint", False)
        for code in ["400", "413", "429"] if public else self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses
