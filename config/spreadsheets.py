"""Every CSV the platform writes for people is written here, so that a spreadsheet opening it shows text and never
runs it ("CSV injection"): a cell that would start with `=`, `+`, `-`, `@`, a tab or a carriage return (a formula,
or what a spreadsheet trims to reach one) starts with a single quote instead, as OWASP advises. A username such as
`+1+1` or `=HYPERLINK(…)` then reads as itself. Only text is changed: an int or a float is written as is."""

import csv
import io
from collections.abc import Iterable
from typing import Any, TextIO

from rest_framework.renderers import BaseRenderer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class SafeWriter:
    """csv.writer's writerow and writerows, every text cell neutralised."""

    def __init__(self, out: TextIO, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralised(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: TextIO, **options) -> SafeWriter:
    """A CSV writer for files people open (options as csv.writer's)."""
    return SafeWriter(out, **options)


class CSVRenderer(BaseRenderer):
    """`?format=csv` of an API view: the rows it answers (each an iterable of cells), or a CSV it wrote itself (a
    str), as text/csv written here. A view with this renderer sends its errors as JSON (ErrorsAsJSONMixin or
    JSONRenderer first): an error is never a spreadsheet."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode()
        out = io.StringIO()
        csv_writer(out).writerows(data or ())
        return out.getvalue().encode()
