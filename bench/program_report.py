"""Benchmark: the program report (issue 15) for the largest demo program, as JSON, as CSV, as its page and PDF.

    DATABASE_URL=postgres://… python bench/program_report.py [--runs 20] [--mentors 60 --mentees 180]

Like bench/recommendations.py it works in a throwaway database beside DATABASE_URL's. It loads the demo
(`seed_demo`), picks the program with the most mentees or peers and mentorships, and prints the median, p95 and
max of N calls of each through Django's test client (routing, authentication, queries, serialization), with the
number of queries each costs. The target is under a second.
"""

import argparse
import io
import os
import statistics
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mentors", type=int, default=60)
    parser.add_argument("--mentees", type=int, default=180)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    if connection.vendor != "postgresql":
        raise SystemExit("Run it against PostgreSQL: DATABASE_URL=postgres://… (bash .ci/services.sh starts one).")
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        run(args)
    finally:
        teardown_databases(old, verbosity=0)


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from programs.models import Program

    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        call_command("seed_demo", mentors=args.mentors, mentees=args.mentees)
    program = (
        Program.objects.annotate(
            people=Count("memberships", filter=Q(memberships__role__in=["mentee", "peer"]), distinct=True),
            pairs=Count("mentorships", distinct=True),
        )
        .order_by("-people", "-pairs")
        .first()
    )
    client = Client()
    client.force_login(User.objects.filter(is_staff=True).order_by("pk").first())
    api = f"/api/v1/programs/{program.slug}/report/"
    calls = {
        "JSON": (api, {}),
        "JSON, a period": (api, {"from": "2000-01-01", "to": "2100-01-01"}),
        "CSV": (api, {"format": "csv"}),
        "page": ("/reports/", {"program": program.slug}),
        "PDF": ("/reports/pdf/", {"program": program.slug}),
    }
    print(f"Program “{program.name}”: {program.people} mentees or peers, {program.pairs} mentorships.")
    for name, (url, params) in calls.items():
        client.get(url, params)  # the first call fills the process's caches
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                clock = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - clock) * 1000)
            assert response.status_code == 200, response.content[:300]
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        print(
            f"{name:>18}: median {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms, max {times[-1]:6.1f} ms "
            f"over {args.runs} runs; {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
