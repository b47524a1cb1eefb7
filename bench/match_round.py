"""Benchmark: a whole match round, database to saved proposals, on synthetic programs.

    DATABASE_URL=postgres://… python bench/match_round.py [--sizes 5000x1500,20000x5000,100000x20000]

It creates a throwaway database beside DATABASE_URL's (as the tests do: `test_<name>`), fills it with a program
of each size, runs a round exactly as a worker does (`matching.runner.round_run`), and prints per stage the
seconds and the peak resident memory of the process during that stage. Each size runs in a fresh process, so
its memory figures are its own. For programs small enough, it also solves the dense assignment problem
(every pair, every slot) and prints the round's total score as a share of that exact optimum.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

DENSE_CHECK_MAX_PAIRS = 30_000_000  # mentees × slots for the exact dense optimum (memory and minutes)
STAGES = ("load", "features", "candidates", "assignment", "explain", "save")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class MemorySampler(threading.Thread):
    """Samples the resident memory every 5 ms, so each stage's peak can be read afterwards."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.running = True

    def run(self):
        while self.running:
            self.samples.append((time.perf_counter(), rss_mb()))
            time.sleep(0.005)

    def peak(self, start: float, stop: float) -> float:
        inside = [mb for at, mb in self.samples if start <= at <= stop]
        return max(inside) if inside else rss_mb()


# --- A synthetic program ----------------------------------------------------------------------------------

WORDS = (  # noqa: SIM905 - a paragraph reads better than a column of words
    "lead team data pipeline product launch career growth startup fundraising design research sales marketing "
    "strategy negotiation hiring budget roadmap customer analytics cloud security mobile platform quality "
    "operations finance investment policy compliance writing speaking coaching remote culture delivery"
).split()


def generate(n_mentees: int, n_mentors: int, seed: int = 7) -> None:
    import django

    django.setup()
    from accounts.models import Industry, Profile, Skill, User
    from mentorship.models import Goal
    from programs.models import Membership, Program

    rng = random.Random(seed)
    program = Program.objects.default()  # everyone in one program, as in a real round
    industries = Industry.objects.bulk_create([Industry(name=f"Industry {i}") for i in range(30)])
    skills = Skill.objects.bulk_create([Skill(name=f"Skill {i}") for i in range(400)])
    by_industry = {ind.pk: skills[i * 10 : i * 10 + 25] for i, ind in enumerate(industries)}

    def text(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    def people(role: str, count: int) -> list:
        users = [
            User(username=f"{role}-{i}", email=f"{role}-{i}@bench.invalid", full_name=f"{role} {i}", password="!")
            for i in range(count)
        ]  # fmt: skip
        return User.objects.bulk_create(users, batch_size=5000)

    def side(relation: str, profiles: list, picks) -> None:
        through = getattr(Profile, relation).through
        links = [through(profile_id=p.pk, skill_id=s.pk) for p in profiles for s in picks(p)]
        through.objects.bulk_create(links, batch_size=20000, ignore_conflicts=True)

    mentors = people("mentor", n_mentors)
    mentor_profiles = [
        Profile(user=u, industry=rng.choice(industries), headline=text(4), bio=text(25)) for u in mentors
    ]
    Profile.objects.bulk_create(mentor_profiles, batch_size=5000)
    Membership.objects.bulk_create(
        [Membership(user=u, program=program, role="mentor", capacity=rng.randint(1, 5)) for u in mentors],
        batch_size=5000,
    )
    side("skills", mentor_profiles, lambda p: rng.sample(by_industry[p.industry_id], 3) + rng.sample(skills, 2))

    mentees = people("mentee", n_mentees)
    mentee_profiles = [Profile(user=u, industry=rng.choice(industries), bio=text(15)) for u in mentees]
    Profile.objects.bulk_create(mentee_profiles, batch_size=5000)
    Membership.objects.bulk_create(
        [Membership(user=u, program=program, role="mentee") for u in mentees], batch_size=5000
    )
    side("wanted_skills", mentee_profiles, lambda p: rng.sample(by_industry[p.industry_id], 2) + rng.sample(skills, 1))
    Goal.objects.bulk_create(
        [Goal(mentee=u, title=text(5), description=text(12)) for u in mentees for _ in range(rng.randint(1, 2))],
        batch_size=5000,
    )


# --- One size, in its own process -------------------------------------------------------------------------


def run_one(n_mentees: int, n_mentors: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from matching.models import MatchRound
    from matching.runner import round_run
    from programs.models import Program

    with connection.cursor() as cursor:  # fresh statistics, as a real database would have
        cursor.execute("VACUUM ANALYZE")

    baseline = rss_mb()
    sampler = MemorySampler()
    sampler.start()
    program = Program.objects.default()
    match_round = MatchRound.objects.create(
        program=program, name="bench", weights=program.default_weights, top_k=int(os.environ.get("BENCH_TOP_K", 50))
    )
    started = time.perf_counter()
    match_round = round_run(round_id=match_round.pk)
    finished = time.perf_counter()
    sampler.running = False
    if match_round.status != "proposed":
        raise SystemExit(f"The round ended {match_round.status}: {match_round.error}")

    stage_seconds = match_round.stats["stage_seconds"]
    stages, at = {}, started
    for stage in STAGES:
        seconds = stage_seconds.get(stage, 0.0)
        stages[stage] = {"seconds": seconds, "peak_mb": round(sampler.peak(at, at + seconds), 1)}
        at += seconds
    result = {
        "size": f"{n_mentees}x{n_mentors}",
        "seconds": round(finished - started, 2),
        "peak_mb": round(max(mb for _, mb in sampler.samples), 1),
        "baseline_mb": round(baseline, 1),
        "matched": match_round.stats["matched"],
        "mean_score": match_round.stats["mean_score"],
        "total_score": match_round.stats["total_score"],
        "stages": stages,
    }
    result["optimum_share"] = dense_optimum_share(match_round)
    return result


def dense_optimum_share(match_round) -> float | None:
    """The round's total over the exact optimum of the whole problem (every pair, every slot), when it fits."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from matching import engine, selectors

    # The pool as it was: the round's proposals are not requests until published, so nobody left it.
    mentees = selectors.mentee_pool(match_round.program)
    mentors, capacities = selectors.mentor_pool(match_round.program)
    slots = np.repeat(np.arange(len(capacities)), capacities)
    if len(mentees) * len(slots) > DENSE_CHECK_MAX_PAIRS:
        return None
    prepared = engine.prepare(
        mentees, mentors, capacities, weights=engine.Weights(**match_round.weights), options=engine.Options()
    )
    scores = (prepared.mentee_x @ prepared.mentor_x.T).toarray()[:, slots]
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return round(match_round.stats["total_score"] / float(scores[rows, cols].sum()), 6)


# --- The driver -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5000x1500,20000x5000,100000x20000")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate:  # in a process of its own, so that the round's memory figures do not include it
        generate(*map(int, args.generate.split("x")))
        return
    if args.one:
        n_mentees, n_mentors = map(int, args.one.split("x"))
        print(json.dumps(run_one(n_mentees, n_mentors)))
        return

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        raise SystemExit("Run it against PostgreSQL: DATABASE_URL=postgres://… (bash .ci/services.sh starts one).")
    old = setup_databases(verbosity=0, interactive=False)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    results = []
    try:
        for size in args.sizes.split(","):
            with connection.cursor() as cursor:  # every size starts from an empty program
                tables = ", ".join(
                    connection.ops.quote_name(t)
                    for t in connection.introspection.django_table_names(only_existing=True)
                )
                cursor.execute(f"TRUNCATE {tables} CASCADE")
            connection.close()
            env = {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "0", "REDIS_URL": ""}
            for step in ("--generate", "--one"):
                child = subprocess.run([sys.executable, __file__, step, size], env=env, capture_output=True, text=True)
                if child.returncode:
                    print(child.stdout, child.stderr, file=sys.stderr)
                    raise SystemExit(f"{size} failed")
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
            report(results[-1])
    finally:
        teardown_databases(old, verbosity=0)


def report(r: dict) -> None:
    share = f"{r['optimum_share']:.6f}" if r["optimum_share"] is not None else "(too large for the dense check)"
    print(f"\n{r['size']} (mentees x mentors): {r['seconds']} s, peak {r['peak_mb']} MB "
          f"(at start {r['baseline_mb']} MB); matched {r['matched']}, mean score {r['mean_score']}")  # fmt: skip
    print(f"  total score / exact optimum: {share}")
    print(f"  {'stage':<11}{'seconds':>9}{'peak MB':>10}")
    for stage, figures in r["stages"].items():
        print(f"  {stage:<11}{figures['seconds']:>9.2f}{figures['peak_mb']:>10.1f}")


if __name__ == "__main__":
    main()
