"""Schema-driven fuzzing of the whole API with schemathesis, on PostgreSQL behind the real app (a live server on
the test database), signed in as a mentee, a mentor and a program admin, and signed out for the operations that
need no sign-in: no server error, and every answer is one the OpenAPI document declares (status, content type and
body, every field of which must be declared: tests/openapi.py).

Each run has the coverage phase (the schema's boundaries, and what lies just past them), the fuzzing phase
(EXAMPLES per operation), then the stateful one, which chains operations through OpenAPI links (inferred from the
path parameters, plus config.schema.LINKS): a goal created, then read, changed, given milestones, deleted; a
mentor found in the directory, then asked; a request accepted, then its mentorship's sessions. So it acts on real
objects instead of guessing ids into 404s. CI runs the same cases every time (deterministic generation).

FUZZ_EXAMPLES and FUZZ_SEED (a seed instead of the deterministic cases) set the depth; FUZZ_OUTPUT, a folder,
keeps each run's report. bench/fuzz.py runs the same at a depth CI cannot afford.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import (
    PASSWORD,
    AdminFactory,
    GoalFactory,
    MatchProposalFactory,
    MatchRoundFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    MilestoneFactory,
    RequestFactory,
    SessionFactory,
    person,
)
from tests.openapi import strict_answers

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SEED = int(os.environ["FUZZ_SEED"]) if os.environ.get("FUZZ_SEED") else None
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Operations that need no sign-in: fuzzed signed out. Signed in, they would repeat that run (they ignore the token)
# and, where a token can be lost (signing out), cut the run short.
PUBLIC = r"^/api/v1/(auth/|me/email/confirm/)"
# A program's nested twins of flat operations (its directory, rounds, import) run the same views on another
# program: fuzzing them again doubles the run and finds nothing new; the program they name is walked by
# tests/programs/test_program_axis_walk.py.
NESTED_TWINS = r"^/api/v1/programs/[^/]+/(mentors|match-rounds|participants)/"
# Operations a role is turned away from before anything else is read: fuzzing them as that role finds nothing.
ADMIN_ONLY = r"^/api/v1/(match-rounds/|participants/|programs/[^/]+/(members|report|at-risk|surveys|weights)/)"
NOT_FOR = {"mentee": ADMIN_ONLY, "mentor": ADMIN_ONLY}


@pytest.fixture
def program(postgres):
    """People in every state the API knows, so that the fuzzer's reads and actions find something: a mentorship
    with a session, a goal with a milestone, pending and declined requests, mentors with and without room, people
    waiting, and a match round with a proposal."""
    mentee = person(MenteeFactory, "maya", skills=["Python"], industry="Healthcare")
    mentor = person(MentorFactory, "otto", skills=["Python", "SQL"], industry="Healthcare", capacity=3)
    others = [person(MentorFactory, f"mentor{n}", skills=["Leadership"], capacity=2) for n in range(3)]
    waiting = [person(MenteeFactory, f"mentee{n}", skills=["SQL"]) for n in range(3)]
    mentorship = MentorshipFactory(mentee=mentee, mentor=mentor)
    SessionFactory(mentorship=mentorship)
    MilestoneFactory(goal=GoalFactory(mentee=mentee))
    RequestFactory(mentee=waiting[0], mentor=mentor)
    RequestFactory(mentee=waiting[1], mentor=others[0], status="declined")
    MatchProposalFactory(round=MatchRoundFactory(status="proposed"), mentee=waiting[2], mentor=others[1])
    return {"mentee": mentee, "mentor": mentor, "admin": AdminFactory(username="ada")}


@pytest.fixture
def unthrottled(monkeypatch):
    """Sign-in, sign-up and address changes are limited per address and person (tests/accounts covers that): the
    fuzzer must get past the limits to what they guard."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES))


def strict_schema_file(base_url: str, folder: Path) -> Path:
    """The live server's schema with every answer object closed, as a file for schemathesis."""
    schema = requests.get(f"{base_url}/api/v1/schema/?format=json", timeout=30).json()
    path = folder / "schema.json"
    path.write_text(json.dumps(strict_answers(schema)))
    return path


def token_for(base_url: str, username: str) -> str:
    answer = requests.post(
        f"{base_url}/api/v1/auth/token/", json={"username": username, "password": PASSWORD}, timeout=30
    )
    answer.raise_for_status()
    return answer.json()["token"]


@pytest.mark.parametrize("role", ["mentee", "mentor", "admin", "signed_out"])
def test_no_answer_is_a_server_error_or_off_schema(live_server, program, unthrottled, role, tmp_path):
    assert shutil.which(SCHEMATHESIS), "schemathesis is in requirements-dev.txt"
    command = [
        SCHEMATHESIS, "--config-file", str(ROOT / "schemathesis.toml"), "run",
        str(strict_schema_file(live_server.url, tmp_path)), "--url", live_server.url,
        "--checks", CHECKS,
        # Signed out there is nothing to chain: the public operations create no object a later one takes.
        "--phases", "coverage,fuzzing" if role == "signed_out" else "coverage,fuzzing,stateful",
        "--max-examples", str(EXAMPLES),
        *(["--seed", str(SEED)] if SEED is not None else ["--generation-deterministic"]),
        "--no-color",
    ]  # fmt: skip
    if role == "signed_out":
        command += ["--include-path-regex", PUBLIC]
    else:
        skipped = "|".join([PUBLIC, NESTED_TWINS, *([NOT_FOR[role]] if role in NOT_FOR else [])])
        command += ["--exclude-path-regex", skipped]
        command += ["-H", f"Authorization: Token {token_for(live_server.url, program[role].username)}"]

    # cwd: schemathesis keeps a cache of what failed in ./.schemathesis/
    result = subprocess.run(command, capture_output=True, text=True, timeout=18 * EXAMPLES + 600, cwd=tmp_path)

    if os.environ.get("FUZZ_OUTPUT"):
        Path(os.environ["FUZZ_OUTPUT"], f"{role}.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    if role != "signed_out":  # the stateful phase followed links to real objects, it did not merely run
        assert int(re.search(r"API Links:\s+(\d+) covered", result.stdout).group(1)) > 0, result.stdout[-3000:]
