"""JSON answers made outside DRF (the lockout, the 503 and 500 of the middleware, the health
checks) written like the API's own: UTF-8 text, not \\u escapes."""

from django.http import JsonResponse


def json_response(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
