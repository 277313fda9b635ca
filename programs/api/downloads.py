"""How a file the API sends is named when it is saved: in the reader's language for the
browsers that read RFC 6266's `filename*`, with an ASCII name beside it for those that do not
(the report files, the approved quarterly report)."""

import re
from urllib.parse import quote

# What a file name may not hold on Windows, and white space.
NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def attachment(ascii_name, name):
    """A Content-Disposition saving the file as `name` (2026年度第3四半期…), or `ascii_name`."""
    ascii_name = NOT_IN_FILE_NAMES.sub("_", ascii_name).encode("ascii", "replace").decode()
    name = NOT_IN_FILE_NAMES.sub("_", name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
