"""Benchmark: the directory's search on PostgreSQL, at the demo's size and at 20,000 mentors.

    DATABASE_URL=postgres://… python bench/search.py [--sizes 60,20000] [--runs 200]

It creates a throwaway database beside DATABASE_URL's (`test_<name>`, as the tests do), fills the default program
with that many mentors (names, headlines, bios, skills, industries, languages, time zones), and times what the
directory API asks of the database for one page: the count and the first 20 rows, through `MentorFilter`, for the
plain listing and for searches (`q=pyhton`, `q=Marko`, a skill, two words) and filters. It prints p50 and p95 in
milliseconds per query string. The time of the ORM building the query is included; HTTP, serialisation and the
cache are not (bench/load.py measures those through gunicorn).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

PAGE = 20
QUERIES = [
    "",
    "q=pyhton",
    "q=python",
    "q=Marko",
    "q=data+leadership",
    "q=C%2B%2B",
    "skill=Python&skill=SQL",
    "skill_any=Python&skill_any=Go&language=spanish",
    "tz=Europe/Berlin&tz_within_hours=2&q=python",
]
FIRST = [
    "Marco",
    "Maria",
    "Anna",
    "Lena",
    "Paul",
    "Omar",
    "Wei",
    "Yuki",
    "Ana",
    "Luis",
    "Sara",
    "Tom",
    "Nina",
    "Ivan",
    "Eva",
    "Raj",
    "Priya",
    "Ken",
    "Zoe",
    "Hugo",
]
LAST = [
    "Rossi",
    "Weber",
    "Smith",
    "Garcia",
    "Chen",
    "Tanaka",
    "Novak",
    "Silva",
    "Kim",
    "Jones",
    "Brown",
    "Müller",
    "Dubois",
    "Costa",
    "Khan",
    "Patel",
]
SKILLS = [
    "Python",
    "SQL",
    "Go",
    "Rust",
    "Java",
    "Kubernetes",
    "Leadership",
    "Negotiation",
    "Design",
    "Research",
    "Sales",
    "Marketing",
    "Strategy",
    "Hiring",
    "Budgeting",
    "Roadmaps",
    "Analytics",
    "Security",
    "Mobile",
    "Testing",
    "Writing",
    "Speaking",
    "Coaching",
    "Finance",
    "Compliance",
    "C++",
]
WORDS = [
    "lead",
    "team",
    "data",
    "pipeline",
    "product",
    "launch",
    "career",
    "growth",
    "startup",
    "fundraising",
    "design",
    "research",
    "sales",
    "marketing",
    "strategy",
    "negotiation",
    "hiring",
    "budget",
    "roadmap",
    "customer",
    "analytics",
    "cloud",
    "security",
    "mobile",
    "platform",
    "quality",
    "operations",
    "finance",
    "investment",
    "policy",
    "compliance",
    "writing",
    "speaking",
    "coaching",
    "remote",
    "culture",
    "delivery",
]
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "UTC"]
LANGUAGES = ["English", "Spanish", "German", "French", "Japanese", "Hindi"]


def fill(n_mentors: int, seed: int = 7) -> None:
    from accounts.models import Industry, Profile, Skill, User
    from accounts.search import profile_search_refresh
    from programs.models import Membership, Program

    rng = random.Random(seed)
    program = Program.objects.default()
    skills = [Skill.objects.get_or_create(name=name)[0] for name in SKILLS]
    industries = [Industry.objects.get_or_create(name=name)[0] for name in ("Fintech", "Retail", "Health", "Energy")]
    users = User.objects.bulk_create(
        [
            User(username=f"m{i}", email=f"m{i}@example.org", full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}")
            for i in range(n_mentors)
        ],
        batch_size=2_000,
    )
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                headline=" ".join(rng.sample(WORDS, 4)).capitalize(),
                bio=" ".join(rng.choice(WORDS) for _ in range(60)),
                industry=rng.choice(industries),
                timezone=rng.choice(ZONES),
                languages=rng.sample(LANGUAGES, 2),
                years_experience=rng.randint(1, 30),
            )
            for user in users
        ],
        batch_size=2_000,
    )
    through = Profile.skills.through
    through.objects.bulk_create(
        [through(profile=p, skill=s) for p in profiles for s in rng.sample(skills, 4)], batch_size=5_000
    )
    Membership.objects.bulk_create(
        [Membership(user=user, program=program, role=Membership.Role.MENTOR, capacity=2) for user in users],
        batch_size=2_000,
    )
    profile_search_refresh()


def directory():
    """The directory's rows as the tests build them (mentorship.selectors owns the real one)."""
    from programs.models import Membership, Program

    return (
        Membership.objects.in_program(Program.objects.default())
        .mentors()
        .active()
        .select_related("user__profile")
        .order_by("user__full_name", "user_id")
    )


def time_query(query: str, runs: int) -> tuple[float, float, int]:
    from django.http import QueryDict

    from mentorship.api.filters import MentorFilter

    timings, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        filters = MentorFilter(QueryDict(query), queryset=directory())
        assert filters.is_valid(), filters.errors
        count = filters.qs.count()
        list(filters.qs[:PAGE])
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))], count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="60,20000")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        raise SystemExit("Run it against PostgreSQL: DATABASE_URL=postgres://… (bash .ci/services.sh starts one).")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        for size in map(int, args.sizes.split(",")):
            with connection.cursor() as cursor:
                names = connection.introspection.django_table_names(only_existing=True)
                tables = ", ".join(connection.ops.quote_name(name) for name in names)
                cursor.execute(f"TRUNCATE {tables} CASCADE")
            fill(size)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"\n{size} mentors, {args.runs} runs each (count + first page of {PAGE}):")
            print(f"  {'query':<48}{'found':>7}{'p50 ms':>9}{'p95 ms':>9}")
            for query in QUERIES:
                p50, p95, found = time_query(query, args.runs)
                print(f"  {query or '(no filter)':<48}{found:>7}{p50:>9.1f}{p95:>9.1f}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
