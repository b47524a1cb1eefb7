"""The shape of every part of the program report: a chart (matching.reports' bars) with the table behind it, so each
is readable without the picture and exports as CSV the same way."""

from dataclasses import dataclass, field

from matching.reports import Chart


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)  # cells: text or numbers, in the order of the columns


@dataclass(frozen=True)
class Section:
    key: str  # stable: the API's and the CSV's name for it ("funnel", "skills_gained", "surveys", ...)
    title: str
    summary: str  # the section in a sentence, for a quick read and for screen readers
    table: Table
    chart: Chart | None = None
    withheld: str = ""  # why (part of) it is not shown: too few answers to keep them anonymous
    drill_down: str = ""  # the page listing the people or pairs behind its numbers, for admins
