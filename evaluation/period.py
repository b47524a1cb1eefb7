"""The dates a report or a result covers: `?from=YYYY-MM-DD&to=YYYY-MM-DD`, either or both left open."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None  # inclusive
    end: dt.date | None = None  # inclusive

    @property
    def is_open(self) -> bool:
        return self.start is None and self.end is None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def query(self) -> dict[str, str]:
        """The query parameters that give this period back (for links and the CSV)."""
        return {
            **({"from": self.start.isoformat()} if self.start else {}),
            **({"to": self.end.isoformat()} if self.end else {}),
        }


def period_parse(params) -> Period:
    """`from` and `to` of a query (a QueryDict or dict). A date that is not YYYY-MM-DD, or `from` after `to`,
    raises ValidationError with a message per field (the API turns it into a 400)."""
    errors: dict[str, list[str]] = {}
    days: dict[str, dt.date | None] = {}
    for name in ("from", "to"):
        raw = (params.get(name) or "").strip()
        days[name] = None
        if raw:
            try:
                days[name] = dt.date.fromisoformat(raw)
            except ValueError:
                errors[name] = ["A date as YYYY-MM-DD."]
    if not errors and days["from"] and days["to"] and days["from"] > days["to"]:
        errors["from"] = ["The start of the period comes after its end."]
    if errors:
        raise ValidationError(errors)
    return Period(start=days["from"], end=days["to"])
