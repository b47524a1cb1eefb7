"""Time `import_participants` on a realistic file of 10,000 participants: created, changed, then unchanged.

    DJANGO_SETTINGS_MODULE=config.settings.local .venv/bin/python bench/import_participants.py [--rows N]

Runs against whatever DATABASE_URL is configured. Its people are named `bench-…` and are deleted afterwards,
with the skills and industries that only they introduced; it refuses to start if `bench-` users are already
there (a run that was killed), unless --force, which deletes them first.
"""

import argparse
import csv
import os
import random
import sys
import tempfile
import time
import unicodedata
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "bench-"
GOALS = [
    "Lead a team of five by the end of the year",
    "Move from analyst to product manager",
    "Give a talk at a regional conference",
    "Negotiate a raise with confidence",
    "Ship my first open-source contribution",
    "Pass the cloud architecture certification",
    "Build a portfolio of three case studies",
    "Find a sponsor for my promotion case",
    "Run better one-to-ones with my reports",
    "Learn to read a balance sheet",
    "Publish a paper in my field",
    "Return to work after a career break",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--force", action="store_true", help="delete the bench- users a killed run left behind")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection

    from accounts.models import Industry, Skill, User

    leftovers = User.objects.filter(username__startswith=PREFIX)
    if leftovers.exists():
        if not options.force:
            sys.exit(f"{leftovers.count()} {PREFIX}* users are already in the database; rerun with --force to delete.")
        leftovers.delete()

    skills_before = set(Skill.objects.values_list("id", flat=True))
    industries_before = set(Industry.objects.values_list("id", flat=True))
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    people = _people(rows=options.rows, rng=random.Random(options.seed))
    try:
        with tempfile.TemporaryDirectory() as directory:
            first, second = Path(directory) / "first.csv", Path(directory) / "second.csv"
            _write_csv(path=first, people=people, rng=random.Random(options.seed + 1))
            # The same people with other industries, skills, goals and capacities: every profile changes.
            _write_csv(path=second, people=people, rng=random.Random(options.seed + 2))
            print(f"File: {options.rows} rows, {first.stat().st_size / 1e6:.1f} MB")
            _time_import(path=first, rows=options.rows, label="new participants  ")
            _time_import(path=second, rows=options.rows, label="every row changed ")
            _time_import(path=second, rows=options.rows, label="nothing changed   ")
    finally:
        _clean_up(skills_before=skills_before, industries_before=industries_before)


def _clean_up(*, skills_before: set[int], industries_before: set[int]) -> None:
    """Delete the bench's people, and the terms this run introduced that nobody else has started to use since."""
    from accounts.models import Industry, Profile, Skill, User

    User.objects.filter(username__startswith=PREFIX).delete()
    new_skills = Skill.objects.exclude(id__in=skills_before)
    new_skills.filter(teaching_profiles=None, learning_profiles=None, goals=None).delete()
    used = {*Profile.objects.values_list("industry_id", flat=True)}
    Industry.objects.exclude(id__in=industries_before | (used - {None})).delete()


def _time_import(*, path: Path, rows: int, label: str) -> None:
    from django.core.management import call_command

    from programs.models import DEFAULT_PROGRAM_SLUG, Program

    Program.objects.default()  # the program they join

    out = StringIO()
    started = time.perf_counter()
    call_command("import_participants", str(path), "--program", DEFAULT_PROGRAM_SLUG, stdout=out)
    seconds = time.perf_counter() - started
    summary = " ".join(out.getvalue().split("\n")[1:]).strip()
    print(f"{label}: {rows} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s ({summary})")


def _people(*, rows: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(role, username, full name): a quarter mentors, the rest mentees, with the demo program's names."""
    from accounts.demo import FIRST_NAMES, LAST_NAMES

    people = []
    for number in range(rows):
        full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        username = f"{PREFIX}{_ascii(full_name).lower().replace(' ', '.')}.{number}"
        people.append(("mentor" if number % 4 == 0 else "mentee", username, full_name))
    return people


def _write_csv(*, path: Path, people: list[tuple[str, str, str]], rng: random.Random) -> None:
    """One row per person, with the demo program's industries and skills and a few goals per mentee."""
    from accounts.demo import GENERAL_SKILLS, INDUSTRY_SKILLS
    from matching.imports import HEADER

    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for role, username, full_name in people:
            is_mentor = role == "mentor"
            industry = rng.choice(list(INDUSTRY_SKILLS))
            skills = rng.sample(INDUSTRY_SKILLS[industry], k=2) + rng.sample(GENERAL_SKILLS, k=rng.randint(1, 3))
            goals = [] if is_mentor else rng.sample(GOALS, k=rng.randint(1, 3))
            capacity = rng.randint(1, 5) if is_mentor else ""
            email = f"{username}@bench.example.org"
            writer.writerow([role, username, email, full_name, industry, ";".join(skills), ";".join(goals), capacity])


def _ascii(text: str) -> str:
    """Müller → Muller, O'Brien → OBrien: an email address's local part is ASCII to Django's validator."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("'", "")


if __name__ == "__main__":
    main()
