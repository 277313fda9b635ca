"""Spreadsheet cells that are never evaluated.

A CSV or XLSX the tracker produces is opened in Excel or LibreOffice by people who trust it,
so a text value that a spreadsheet would read as a formula (`=HYPERLINK(…)`, `+1`, `-2+3`,
`@SUM(…)`, or one starting with a tab or carriage return) is prefixed with a single quote
(OWASP "CSV injection"). Numbers, dates and empty cells pass through unchanged, so they stay
real numeric and date cells. Control characters an XLSX file cannot hold become U+FFFD
instead of failing the whole download. Every CSV and XLSX writer calls `inert_cell` on every cell,
headers included; the admin's exports get it through the formats below (settings
`EXPORT_FORMATS`).
"""

import re
import unicodedata

from import_export.formats import base_formats
from tablib import Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The C0 controls XLSX (XML 1.0) cannot store; tab, line feed and carriage return it can.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _looks_like_a_formula(value):
    """Whether a spreadsheet may read `value` as a formula: judged on its first character
    after any invisible (format) ones, as NFKC reads it, so full-width ＝ and a zero-width
    space or BOM before `=` count too."""
    first = next((c for c in value if unicodedata.category(c) != "Cf"), "")
    return unicodedata.normalize("NFKC", first).startswith(FORMULA_STARTS)


def inert_cell(value):
    if not isinstance(value, str):
        return value
    value = UNSTORABLE.sub("\N{REPLACEMENT CHARACTER}", value)
    return "'" + value if _looks_like_a_formula(value) else value


def inert_dataset(dataset):
    """A copy of a tablib dataset with every cell, headers included, made inert."""
    return Dataset(*[[inert_cell(value) for value in row] for row in dataset],
                   headers=[inert_cell(name) for name in dataset.headers or []] or None,
                   title=dataset.title)


class CSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(inert_dataset(dataset), **kwargs)


class XLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(inert_dataset(dataset), **kwargs)
