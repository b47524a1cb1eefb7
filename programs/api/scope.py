"""How an API view knows its program: nested paths name it (`/programs/<slug>/mentors/`), flat v1 paths act on the
default program `main`, as they did before programs existed (API.md)."""

from functools import cached_property

from programs import selectors
from programs.models import Program

PROGRAM_KWARG = "program"


class ProgramScopedMixin:
    """For views registered both flat and under `programs/<slug:program>/`: `self.program` is the one they act on.
    A program the caller may not see is a 404."""

    @cached_property
    def program(self) -> Program:
        slug = self.kwargs.get(PROGRAM_KWARG)
        if slug is None:
            return selectors.program_default()
        return selectors.program_for(self.request.user, slug)
