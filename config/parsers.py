"""How the API reads a request's body: JSON only (the participants import adds multipart for its file). A view
that takes a body reads it through these parsers, so a body in another type is a 415, never read as empty.

Apart from config.api because DRF imports this while it sets up its views (config.api imports those views).
"""

import re

from rest_framework import exceptions, parsers

# Our deepest body is two levels ({"weights": {"skills": 1}}); this leaves room and keeps every walk shallow.
MAX_JSON_DEPTH = 32
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 what it would let through to a 500: a string holding a lone
    surrogate (`"\\ud800"`, which no UTF-8 text can store or send back) and nesting past MAX_JSON_DEPTH (`"[" *
    100000` exhausts Python's stack)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.") from None
        _check_json(data)
        return data


def _check_json(data) -> None:
    """Walk the parsed body without recursion (it may be nested just under Python's limit)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise exceptions.ParseError("JSON parse error - a string holds a lone surrogate (\\ud800-\\udfff).")
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise exceptions.ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
