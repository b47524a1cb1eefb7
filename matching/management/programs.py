"""The program a command acts on: the one named by `--program`, or the only one there is."""

from django.core.management.base import CommandError

from programs.models import Program
from programs.selectors import program_default


def program_option(slug: str | None) -> Program:
    """`--program SLUG`'s program; without it, the only program (a command may omit it then)."""
    if slug:
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f'No program "{slug}"; the programs are: {_slugs()}.')
        return program
    programs = list(Program.objects.order_by("slug")[:2])
    if len(programs) > 1:
        raise CommandError(f"There are several programs; name one with --program SLUG ({_slugs()}).")
    return programs[0] if programs else program_default()


def _slugs() -> str:
    return ", ".join(Program.objects.order_by("slug").values_list("slug", flat=True))
