from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from .errors import ErrorSerializer

ETAG = ("The tag of this representation: send it in If-None-Match to be answered 304 while it "
        "is unchanged, and (for a record) in If-Match to change it.")
RETRY_AFTER = {"schema": {"type": "integer"}, "required": True,
               "description": "Seconds to wait before trying again."}
IF_NONE_MATCH = "An ETag you hold: answered 304 (no body) while the representation is unchanged."

ERROR_DESCRIPTIONS = {
    "400": "Invalid input (see `fields`); nothing was saved.",
    "401": "Not authenticated.",
    "403": "Authenticated but not allowed.",
    "404": "No such record (or not one the caller may see), or no such page of a list.",
    "405": "The path does not take this method (e.g. PUT where only PATCH is offered).",
    "406": "The Accept header asks for no type this operation gives.",
    "409": "The record's current state does not allow this (e.g. `invalid_transition`).",
    "412": "If-Match does not match the record's current ETag; nothing was saved.",
    "428": "If-Match is missing: a change to a record must name the ETag it was based on "
           "(a first recording needs none); nothing was saved.",
    "415": "The body's Content-Type is not one the API reads (send application/json).",
    "413": "The request body is larger than the API reads (API_MAX_BODY_BYTES).",
    "429": "Too many requests, or too many wrong passwords (`account_locked`, "
           "`sign_in_slowed_down`); retry after the seconds in Retry-After.",
    "500": "An unexpected error of the server's own (`server_error`): the answer names no "
           "internals; the error is logged for the administrators.",
    "503": "The database is unavailable for a moment (`database_unavailable`); nothing was "
           "saved; retry after the seconds in Retry-After.",
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

    def _if_match(self):
        """The operation's If-Match parameter, when it changes a versioned record."""
        return next((parameter for parameter in self.get_override_parameters()
                     if isinstance(parameter, OpenApiParameter)
                     and parameter.name == "If-Match"), None)

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self.method == "GET":
            parameters.append({"in": "header", "name": "If-None-Match", "required": False,
                               "schema": {"type": "string"}, "description": IF_NONE_MATCH})
        return parameters

    def _get_response_headers_for_code(self, status_code, direction="response"):
        # Every GET is tagged (records by the view, lists by ConditionalGetMiddleware); a
        # write that names a version, or creates a record, answers it with its new tag.
        headers = super()._get_response_headers_for_code(status_code, direction)
        tagged = (self.method == "GET" or self._if_match() or self._is_create_operation()
                  or status_code == "201")  # a record created by an action: a status update
        if tagged and status_code in ("200", "201"):
            headers["ETag"] = {"schema": {"type": "string"}, "description": ETAG}
        return headers

    def _reads_a_body(self):
        return self.method in ("POST", "PUT", "PATCH") and (
            self.get_request_serializer() is not None)

    def _error_codes(self):
        codes = ["401", "403", "405", "406", "429", "500", "503"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE") or self._is_list_view():
            codes.append("400")  # bad input, or a filter value a list cannot use
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("413")
        if self._reads_a_body():
            codes.append("415")
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE") and "{" in self.path:
            codes.append("409")
        if self._if_match():
            codes += ["412", "428"]
        return codes + [c for c in getattr(self.view, "extra_error_codes", ()) if c not in codes]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        public = getattr(self.view, "public_endpoint", False)
        public_codes = ["400", "405", "406", "413", "429", "500", "503"]
        if self._reads_a_body():
            public_codes.append("415")
        for code in public_codes if public else self._error_codes():
            if code not in responses:
                # JSON whatever the operation's 200 is (a PDF, a spreadsheet): the handler
                # answers every error in JSON (errors.api_exception_handler).
                response = self._get_response_for_code(ErrorSerializer, code,
                                                       media_types=["application/json"],
                                                       direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                if code in ("429", "503"):
                    response["headers"] = {"Retry-After": RETRY_AFTER}
                responses[code] = response
        if self.method == "GET" and not public:
            responses["304"] = {
                "description": "Not modified: the If-None-Match tag is current (no body).",
                "headers": {"ETag": {"schema": {"type": "string"}, "description": ETAG}}}
        return responses


def _plain(schema):
    """A parameter's schema without its (translated) title: generators name types after it."""
    return {key: value for key, value in schema.items() if key != "title"}


def generator_friendly(result, generator, request, public):
    """Postprocessing: what client generators need from the schema.

    - path ids are integers (the URL pattern accepts ASCII digits only);
    - a filter's (or a path parameter's) choices refer to the model's enum component instead
      of repeating it inline under a Japanese title (generators would name a type
      `MilestonesListステータス`);
    - every field of a response is required: the serializers always write every field (null
      where empty), so a generated client need not treat them as maybe-absent.
    """
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if not name.endswith("Request") and schema.get("properties"):
            schema["required"] = list(schema["properties"])
    enums = {tuple(sorted(map(str, schema["enum"]))): name for name, schema in schemas.items()
             if "enum" in schema and schema.get("type") == "string"}

    def as_component(schema):
        schema = _plain(schema)
        name = enums.get(tuple(sorted(map(str, schema.get("enum", ())))))
        if name:
            return {"$ref": f"#/components/schemas/{name}"}
        if schema.get("type") == "array" and "items" in schema:
            return {**schema, "items": as_component(schema["items"])}
        return schema

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                if parameter["in"] == "path" and schema.get("pattern") == "^[0-9]+$":
                    parameter["schema"] = {"type": "integer", "minimum": 1}
                elif parameter["in"] == "query" or "enum" in schema:
                    parameter["schema"] = as_component(schema)
    return result
