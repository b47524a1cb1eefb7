"""Benchmark: the peer engine (matching.engine.match_peers) on synthetic peer programs, no database.

    python bench/peer_round.py [--sizes 2000,5000,20000] [--top-k 50] [--mode optimal] [--exact-check-max 10000]

Peers are drawn like bench/match_round.py's people (400 skills, 30 industries, each peer teaching skills of their
industry and wanting others, goals and bios from a shared vocabulary), with one or two languages each. Each size
runs in a fresh process, so its memory figures are its own; it prints per stage the seconds and the peak
resident memory, the CPU seconds (all threads: on a busy machine they tell the work better than the clock)
and the load average, which pairing method ran, and the total score as a share of two references: the exact optimum
on the same candidate graph (the blossom algorithm, for sizes up to --exact-check-max: minutes at
10,000 peers) and the linear relaxation's bound (any size; the exact optimum lies between the two).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.match_round import WORDS, MemorySampler, rss_mb  # noqa: E402

STAGES = ("features", "candidates", "assignment", "explain")
LANGUAGES = ("English", "Spanish", "French", "German", "Portuguese", "Hindi", "Arabic", "Mandarin")


def generate(n: int, seed: int = 7):
    from matching.engine import Peers

    rng = random.Random(seed)
    skills = [f"Skill {i}" for i in range(400)]
    by_industry = {i: skills[i * 10 : i * 10 + 25] for i in range(30)}
    industry = [rng.randrange(30) for _ in range(n)]

    def text(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    def languages() -> list[str]:
        first = "English" if rng.random() < 0.7 else rng.choice(LANGUAGES)
        return [first, rng.choice(LANGUAGES)] if rng.random() < 0.4 else [first]

    return Peers(
        ids=list(range(1, n + 1)),
        wanted_skills=[rng.sample(by_industry[i], 2) + rng.sample(skills, 1) for i in industry],
        goals_text=[" ".join([text(5), text(12), text(15)]) for _ in range(n)],
        skills=[rng.sample(by_industry[i], 3) + rng.sample(skills, 2) for i in industry],
        about_text=[f"{text(4)} {text(25)}" for _ in range(n)],
        industry=[f"Industry {i}" for i in industry],
        languages=[languages() for _ in range(n)],
        utc_offset_hours=[float(rng.randint(-8, 10)) for _ in range(n)],
    )


def run_one(n: int, top_k: int, mode: str, exact_check_max: int) -> dict:
    from matching.engine import Options, PeerWeights, match_peers
    from matching.engine.pairing import pair_optimal
    from matching.engine.peers import peer_candidates, prepare_peers

    peers = generate(n)
    options = Options(mode=mode, top_k=top_k)
    baseline = rss_mb()
    sampler = MemorySampler()
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = match_peers(peers, weights=PeerWeights(), options=options)
    finished, cpu = time.perf_counter(), time.process_time() - cpu
    sampler.running = False

    stages, at = {}, started
    for stage in STAGES:
        seconds = result.seconds.get(stage, 0.0)
        stages[stage] = {"seconds": round(seconds, 3), "peak_mb": round(sampler.peak(at, at + seconds), 1)}
        at += seconds
    stats = result.stats
    figures = {
        "peers": n,
        "top_k": top_k,
        "mode": mode,
        "method": stats["method"],
        "seconds": round(finished - started, 2),
        "cpu_seconds": round(cpu, 2),
        "load": round(os.getloadavg()[0], 1),
        "peak_mb": round(max(mb for _, mb in sampler.samples), 1),
        "baseline_mb": round(baseline, 1),
        "pairs": stats["matched"],
        "unmatched": sum(stats["unmatched"].values()),
        "candidate_pairs": stats["candidate_pairs"],
        "total_score": stats["total_score"],
        "stable": stats["stable"],
        "blocking_pairs": stats["blocking_pairs"],
        "stages": stages,
        "bound_share": round(stats["total_score"] / stats["optimum_bound"], 6) if stats["optimum_bound"] else None,
        "exact_share": None,
        "exact_seconds": None,
    }
    if n <= exact_check_max:  # the exact optimum on the same candidate graph, outside the timed run
        graph = peer_candidates(prepare_peers(peers, weights=PeerWeights(), options=options))
        clock = time.perf_counter()
        exact = pair_optimal(graph, method="exact")
        figures["exact_seconds"] = round(time.perf_counter() - clock, 2)
        figures["exact_share"] = round(stats["total_score"] / float(graph.score[exact.chosen].sum()), 6)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,5000,20000")
    parser.add_argument("--top-k", type=int, default=50)
    parser.add_argument("--mode", default="optimal", choices=("optimal", "stable"))
    parser.add_argument("--exact-check-max", type=int, default=10_000, help="largest size checked against exact")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        print(json.dumps(run_one(args.one, args.top_k, args.mode, args.exact_check_max)))
        return
    for size in args.sizes.split(","):
        command = [sys.executable, __file__, "--one", size, "--top-k", str(args.top_k), "--mode", args.mode,
                   "--exact-check-max", str(args.exact_check_max)]  # fmt: skip
        child = subprocess.run(command, capture_output=True, text=True)
        if child.returncode:
            print(child.stdout, child.stderr, file=sys.stderr)
            raise SystemExit(f"{size} failed")
        report(json.loads(child.stdout.strip().splitlines()[-1]))


def report(r: dict) -> None:
    exact = (f"{r['exact_share']:.6f} (exact on the same graph: {r['exact_seconds']} s)"
             if r["exact_share"] is not None else "(not checked)")  # fmt: skip
    bound = f"{r['bound_share']:.6f}" if r["bound_share"] is not None else "(no bound in this mode)"
    print(f"\n{r['peers']} peers, top_k {r['top_k']}, {r['mode']} ({r['method']}): {r['seconds']} s "
          f"({r['cpu_seconds']} s of CPU, load average {r['load']}), "
          f"peak {r['peak_mb']} MB (at start {r['baseline_mb']} MB); {r['pairs']} pairs, {r['unmatched']} "
          f"unmatched, {r['candidate_pairs']} candidate pairs, blocking pairs {r['blocking_pairs']}")  # fmt: skip
    print(f"  total score / exact optimum: {exact}")
    print(f"  total score / relaxation bound: {bound}")
    print(f"  {'stage':<11}{'seconds':>9}{'peak MB':>10}")
    for stage, figures in r["stages"].items():
        print(f"  {stage:<11}{figures['seconds']:>9.2f}{figures['peak_mb']:>10.1f}")


if __name__ == "__main__":
    main()
