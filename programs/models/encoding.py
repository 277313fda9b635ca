import json


class UnicodeJSONEncoder(json.JSONEncoder):
    """Store Japanese as itself rather than as \\u escapes, so that text search (admin search,
    `icontains`) finds it on SQLite as it does on PostgreSQL."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)
