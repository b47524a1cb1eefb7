"""A Python client generated from `/api/v1/schema/` with openapi-python-client works as generated: the generator
has nothing to warn about, every module imports, and a short walk through the product passes on a live server."""

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import PASSWORD, AdminFactory, MenteeFactory, MentorFactory

pytestmark = pytest.mark.django_db(transaction=True)

BIN = Path(sys.executable).parent
PACKAGE = "mentorship_client"


@pytest.fixture(scope="module")
def client_package(live_server, django_db_blocker, tmp_path_factory):
    """The client generated from the live schema (generated once, the schema needs no data), importable as
    `mentorship_client` for the tests of this module."""
    tmp_path = tmp_path_factory.mktemp("generated")
    command = [
        str(BIN / "openapi-python-client"), "generate",
        "--url", f"{live_server.url}/api/v1/schema/",
        "--meta", "none",
        "--output-path", str(tmp_path / PACKAGE),
        "--fail-on-warning",
    ]  # fmt: skip
    # Each request of the live server closes stale connections (Django's request signals): it needs the database.
    with django_db_blocker.unblock():
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},  # for its ruff post-hooks
        )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output

    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_every_generated_module_imports(client_package):
    modules = [info.name for info in pkgutil.walk_packages(client_package.__path__, f"{PACKAGE}.")]

    failures = {}
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # the report names every module that fails, not only the first
            failures[name] = repr(error)

    assert len(modules) > 40
    assert failures == {}


def test_a_mentee_and_a_mentor_work_together_through_the_generated_client(live_server, client_package):
    from mentorship_client import AuthenticatedClient, Client
    from mentorship_client.api.auth import auth_token_create
    from mentorship_client.api.goals import goals_create
    from mentorship_client.api.match_rounds import match_rounds_create
    from mentorship_client.api.me import me_partial_update, me_retrieve
    from mentorship_client.api.mentors import mentors_list
    from mentorship_client.api.requests import requests_accept_create, requests_create
    from mentorship_client.models import (
        GoalInputRequest,
        MentorsListAccepting,
        PatchedMeUpdateRequest,
        RequestCreateInputRequest,
        RoundCreateInputRequest,
        TokenInputRequest,
        WeightsInputRequest,
    )

    MenteeFactory(username="maya")
    MenteeFactory(username="bo")  # still waiting for the round
    mentor = MentorFactory(username="otto")  # two slots
    AdminFactory(username="ada")
    anonymous = Client(base_url=live_server.url, raise_on_unexpected_status=True)

    def signed_in(username: str) -> AuthenticatedClient:
        token = auth_token_create.sync(client=anonymous, body=TokenInputRequest(username=username, password=PASSWORD))
        return AuthenticatedClient(base_url=live_server.url, token=token.token, prefix="Token")

    as_mentee, as_mentor, as_admin = signed_in("maya"), signed_in("otto"), signed_in("ada")

    me = me_retrieve.sync(client=as_mentee)
    assert (me.username, me.role) == ("maya", "mentee")
    me = me_partial_update.sync(client=as_mentee, body=PatchedMeUpdateRequest(skills=["Python"], industry=None))
    assert (me.skills, me.industry) == (["Python"], None)

    directory = mentors_list.sync(client=as_mentee, accepting=MentorsListAccepting.TRUE)
    assert [listed.id for listed in directory.results] == [mentor.pk]

    goal = goals_create.sync(client=as_mentee, body=GoalInputRequest(title="Lead a team", target_date=None))
    assert (goal.title, goal.target_date) == ("Lead a team", None)

    sent = requests_create.sync(
        client=as_mentee, body=RequestCreateInputRequest(mentor=mentor.pk, message="Hello", goals=[goal.id])
    )
    assert (sent.status, [g.id for g in sent.goals]) == ("pending", [goal.id])

    accepted = requests_accept_create.sync(sent.id, client=as_mentor)
    assert accepted.status == "accepted"
    assert isinstance(accepted.mentorship, int)

    queued = match_rounds_create.sync(
        client=as_admin, body=RoundCreateInputRequest(name="Spring", weights=WeightsInputRequest(skills=2, goals=1))
    )
    assert (queued.name, queued.weights["skills"], queued.weights["goals"]) == ("Spring", 2, 1)
