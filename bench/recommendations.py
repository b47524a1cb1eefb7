"""Benchmark: `GET /api/v1/mentors/recommended/` for one mentee, against a program of N mentors.

    DATABASE_URL=postgres://… python bench/recommendations.py [--mentors 5000] [--calls 50]

Like bench/match_round.py it works in a throwaway database beside DATABASE_URL's. It prints the first call (which
fits the scorer on every mentor and keeps it in the process) and the p50/p95/max of the calls after it, measured
through Django's test client, so routing, authentication, queries and serialization are all included.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentors", type=int, default=5000)
    parser.add_argument("--mentees", type=int, default=200)
    parser.add_argument("--calls", type=int, default=50)
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
    from django.test import Client

    from accounts.models import User
    from bench.match_round import generate

    generate(args.mentees, args.mentors)
    client = Client()
    client.force_login(User.objects.filter(role="mentee").order_by("pk").first())

    def call() -> float:
        clock = time.perf_counter()
        response = client.get("/api/v1/mentors/recommended/", {"limit": 10})
        elapsed = time.perf_counter() - clock
        assert response.status_code == 200 and len(response.json()) == 10, response.content[:200]
        return elapsed * 1000

    first = call()
    warm = sorted(call() for _ in range(args.calls))
    p95 = warm[max(0, int(len(warm) * 0.95) - 1)]
    print(f"{args.mentors} mentors: first call {first:.0f} ms (fits the scorer); then over {args.calls} calls "
          f"p50 {statistics.median(warm):.1f} ms, p95 {p95:.1f} ms, max {warm[-1]:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
