"""PostgreSQL stopped and started again under the app: requests fail cleanly (503 in words) while it is down,
and the app recovers by itself when it is back, without a restart."""

import json
import os
import subprocess
import urllib.error
import urllib.request

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def pg_ctl(*args: str) -> None:
    command = [os.environ["PG_CTL"], "-D", os.environ["PG_DATA"], "-w", *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@pytest.fixture
def restartable_postgres(postgres):
    from tests.conftest import require_service

    require_service(all(os.environ.get(v) for v in ("PG_CTL", "PG_DATA", "PG_OPTIONS")), "a restartable PostgreSQL")
    yield
    # Whatever happened in the test, leave the server running for the rest of the suite.
    status = subprocess.run(
        ["runuser", "-u", "postgres", "--", os.environ["PG_CTL"], "-D", os.environ["PG_DATA"], "status"],
        capture_output=True,
    )
    if status.returncode != 0:
        pg_ctl("-l", os.environ.get("PG_LOG", "/dev/null"), "start", "-o", os.environ["PG_OPTIONS"])
    connection.close()


def _get(url: str, data: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_requests_fail_cleanly_while_postgresql_is_down_and_recover_after(restartable_postgres, live_server):
    sign_in = f"{live_server.url}/api/v1/auth/token/"
    wrong = json.dumps({"username": "nobody", "password": "wrong-password"}).encode()
    assert _get(sign_in, wrong)[0] == 400  # the database answered: no such account

    pg_ctl("stop", "-m", "fast")
    down_api = _get(sign_in, wrong)
    down_health = _get(f"{live_server.url}/healthz")
    pg_ctl("-l", os.environ.get("PG_LOG", "/dev/null"), "start", "-o", os.environ["PG_OPTIONS"])
    back_api = _get(sign_in, wrong)
    back_health = _get(f"{live_server.url}/healthz")

    assert down_api == (
        503,
        {"detail": "The database is unavailable for a moment. Nothing was changed; please try again shortly."},
    )
    assert down_health[0] == 503
    assert down_health[1]["database"].startswith("error")
    assert back_api[0] == 400  # the same running app answers normally again
    assert back_health == (200, back_health[1])
    assert back_health[1]["database"] == "ok"
