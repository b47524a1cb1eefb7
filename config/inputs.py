"""How values from outside are read: ids, whole numbers and free terms from query strings, paths, bodies and
files, and the characters a stored text may hold. One way for each, used by the API, the pages and the import.

Each parser raises Django's ValidationError, which the API answers as a 400 with the field's message, a form or a
FilterSet shows beside its field, and the import lists with its line. None of them lets a value reach the
database that the database cannot take: a NUL (PostgreSQL refuses it in text), a number past 64 bits (SQLite and
PostgreSQL's BIGINT stop there), or a digit that `str.isdigit()` accepts and `int()` refuses ("²").
"""

import re
from typing import NoReturn

from django.core.exceptions import ValidationError

# The largest value of a BIGINT, every id's column on PostgreSQL and SQLite alike.
MAX_ID = 2**63 - 1

_ASCII_DIGITS = re.compile(r"[0-9]+")
_WHITESPACE = re.compile(r"\s+")
# Control characters (Unicode's Cc: C0, DEL and C1), the line and paragraph separators, and surrogates (a lone one
# cannot be written as UTF-8). A multi-line text may break lines and indent: newline, carriage return and tab.
_NOT_ON_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NOT_IN_A_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def parse_whole_number(value: object, *, low: int, high: int, field: str | None = None) -> int:
    """`value` (an int, or a string of ASCII digits) as an int from `low` to `high`.

    With `field`, the error names it ({field: [message]}), as a query parameter's must.
    """
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value) and len(value) <= len(str(high)):
        number = int(value)
    if number is None or not low <= number <= high:
        _fail(f"A whole number from {low} to {high}.", code="invalid_number", field=field)
    return number


def parse_id(value: object, *, field: str | None = None) -> int:
    """An object's id: a whole number from 1 to MAX_ID (an int, or a string of ASCII digits)."""
    try:
        return parse_whole_number(value, low=1, high=MAX_ID)
    except ValidationError:
        _fail(f"An id is a whole number from 1 to {MAX_ID}.", code="invalid_id", field=field)


def is_id(value: str) -> bool:
    """Whether a string names something by id (ASCII digits) rather than by name: "12" does, "²" and "C++" do not."""
    return bool(_ASCII_DIGITS.fullmatch(value))


def clean_term(value: str, *, max_length: int, field: str | None = None) -> str:
    """A term a person typed (a skill's name, words to search for): every run of whitespace (tabs and line
    breaks too) becomes one space and the ends are trimmed; any other control character (a NUL) refuses the term.
    May come back empty."""
    term = squash_whitespace(value)
    try:
        validate_single_line(term)
    except ValidationError as error:
        _fail(error.messages[0], code="invalid_text", field=field)
    if len(term) > max_length:
        _fail(f"At most {max_length} characters.", code="too_long", field=field)
    return term


def squash_whitespace(value: str) -> str:
    """Every run of whitespace as one space, the ends trimmed: how a typed name is compared and kept."""
    return _WHITESPACE.sub(" ", value).strip()


def validate_single_line(value: str) -> None:
    """For names, titles, headlines and every value shown on one line or put in an email's header: no line break,
    tab, NUL or other control character."""
    found = _NOT_ON_ONE_LINE.search(value)
    if found:
        raise ValidationError(
            "No line breaks, tabs or other control characters here (found U+%(code)04X).",
            code="control_character",
            params={"code": ord(found.group())},
        )


def validate_each_single_line(values: list) -> None:
    """For a list of short texts (a session's topics): each one as validate_single_line."""
    for value in values:
        if isinstance(value, str):
            validate_single_line(value)


def validate_multi_line(value: str) -> None:
    """For a text of several lines (a bio, notes, a message): line breaks and tabs are fine, NULs and other
    control characters are not."""
    found = _NOT_IN_A_TEXT.search(value)
    if found:
        raise ValidationError(
            "No control characters other than line breaks and tabs (found U+%(code)04X).",
            code="control_character",
            params={"code": ord(found.group())},
        )


def _fail(message: str, *, code: str, field: str | None) -> NoReturn:
    error = ValidationError(message, code=code)
    raise ValidationError({field: [error]}) if field else error


class IdConverter:
    """`<id:name>` in a URL: an object's id, ASCII digits up to MAX_ID. Anything else matches no URL, so a path
    naming an id no database could hold is a 404, as is any id of nothing."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        try:
            return parse_id(value)
        except ValidationError:
            raise ValueError(f"{value} is not an id") from None  # Django's resolver reads this as "no match"

    def to_url(self, value: int) -> str:
        return str(value)
