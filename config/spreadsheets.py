"""Every CSV the platform writes for people is written here, so that a spreadsheet opening it shows text and never
runs it ("CSV injection"): a cell that would start with `=`, `+`, `-`, `@`, a tab or a carriage return (a formula,
or what a spreadsheet trims to reach one) starts with a single quote instead, as OWASP advises. A username such as
`+1+1` or `=HYPERLINK(…)` then reads as itself. Only text is changed: an int or a float is written as is."""

import csv
from collections.abc import Iterable
from typing import Any, TextIO

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
