"""The schema fuzz at depth: tests/test_api_fuzz.py's runs (a mentee, a mentor, a program admin, and signed out for
sign-up and sign-in) with --examples cases per operation instead of CI's 50, and new cases each time.

    source .ci/services.sh   # PostgreSQL (the fuzz runs on it, as CI's does) and Redis
    .venv/bin/python bench/fuzz.py [--examples 500] [--seed N] [--role mentee --role admin ...]

A seed is drawn unless --seed is given; it is printed, so that a run that failed can be run again with the same
cases. Each run's schemathesis report (every failure with a curl line to reproduce it) is kept in --output
(default bench/.fuzz/); the summary of each is printed, with the time. Exit status 1 if any run failed.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROLES = ("mentee", "mentor", "admin", "signed_out")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=500, help="cases per operation in the fuzzing phase")
    parser.add_argument("--seed", type=int, default=None, help="replay the cases of an earlier run")
    parser.add_argument("--role", action="append", choices=ROLES, help="only these runs (repeatable)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / ".fuzz")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("DATABASE_URL must name a PostgreSQL server (source .ci/services.sh)")

    seed = args.seed if args.seed is not None else random.randrange(2**32)
    roles = args.role or list(ROLES)
    args.output.mkdir(parents=True, exist_ok=True)
    print(f"Fuzzing {', '.join(roles)} with {args.examples} cases per operation, seed {seed}.", flush=True)
    env = {
        **os.environ,
        "CI": "true",  # PostgreSQL is required, not skipped
        "FUZZ_EXAMPLES": str(args.examples),
        "FUZZ_SEED": str(seed),
        "FUZZ_OUTPUT": str(args.output),
    }
    tests = [f"tests/test_api_fuzz.py::test_no_answer_is_a_server_error_or_off_schema[{role}]" for role in roles]
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=ROOT, env=env)
    minutes = (time.monotonic() - started) / 60

    for role in roles:
        report = args.output / f"{role}.txt"
        if not report.exists():
            print(f"\n{role}: no report (the run did not start)")
            continue
        text = report.read_text()
        print(f"\n{role} ({report}):")
        for pattern in (r"Test cases:\n\s*(.+)", r"API Links:\s*(.+)", r"Failures:\n((?:\s*❌.+\n)+)"):
            match = re.search(pattern, text)
            if match:
                print("  " + " ".join(match.group(1).split()))
    print(f"\n{len(roles)} runs, {args.examples} cases per operation, seed {seed}: {minutes:.1f} minutes.")
    return 0 if result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
