"""Production smoke test: drive the app served by gunicorn (production settings) with a Celery worker, both
installed from requirements.txt alone, through the one journey every program needs. Standard library only, so
that nothing the tests install can help it pass.

    python .ci/smoke.py BASE_URL EMAIL_DIR WORKER_LOG

Exits non-zero with the reason at the first thing that is not as it must be.
"""

import json
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_URL, EMAIL_DIR, WORKER_LOG = sys.argv[1].rstrip("/"), Path(sys.argv[2]), Path(sys.argv[3])
PASSWORD = "a-long-smoke-test-secret"
# The TLS proxy in front of the app says the request came over HTTPS (production redirects plain HTTP).
HEADERS = {"X-Forwarded-Proto": "https", "Content-Type": "application/json", "Accept": "application/json"}


def call(method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    headers = dict(HEADERS)
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE_URL + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {"error body": error.read().decode(errors="replace")[:2000]}


def expect(what: str, status: int, answer: dict, wanted: int) -> dict:
    if status != wanted:
        sys.exit(f"FAIL {what}: {status} (wanted {wanted}) {answer}")
    print(f"ok   {what}: {status}")
    return answer


def emailed_token(address: str, timeout: float = 60) -> str:
    """The sign-up link's token from the email the worker wrote (file email backend)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in sorted(EMAIL_DIR.glob("*.log")):
            text = message.read_text(errors="replace")
            if f"To: {address}" in text and (match := re.search(r"/signup/confirm/([A-Za-z0-9_\-]+)/", text)):
                return match.group(1)
        time.sleep(0.5)
    sys.exit(f"FAIL no sign-up email to {address} within {timeout:.0f} s: is the worker consuming tasks?")


def sign_up(username: str, role: str) -> tuple[int, str]:
    email = f"{username}@example.org"
    body = {"username": username, "email": email, "password": PASSWORD, "role": role, "full_name": username.title()}
    expect(f"sign up {username}", *call("POST", "/api/v1/auth/register/", body), 201)
    token = emailed_token(email)
    account = expect(f"confirm {username}", *call("POST", "/api/v1/auth/register/confirm/", {"token": token}), 201)
    credentials = {"username": username, "password": PASSWORD}
    api_token = expect(f"token {username}", *call("POST", "/api/v1/auth/token/", credentials), 200)["token"]
    return account["id"], api_token


def main() -> None:
    expect("healthz", *call("GET", "/healthz"), 200)
    mentor_id, mentor_token = sign_up("smoke_mentor", "mentor")
    _, mentee_token = sign_up("smoke_mentee", "mentee")
    expect("me", *call("GET", "/api/v1/me/", token=mentee_token), 200)
    request = expect(
        "request",
        *call("POST", "/api/v1/requests/", {"mentor": mentor_id, "message": "Hello"}, token=mentee_token),
        201,
    )
    expect("accept", *call("POST", f"/api/v1/requests/{request['id']}/accept/", {}, token=mentor_token), 200)

    # The emails went through Redis to the worker, not through the in-request fallback.
    deadline = time.monotonic() + 30
    wanted = ("send_signup_confirmation_email", "send_notification_email")  # the request notices: notifications/
    while time.monotonic() < deadline:
        log = WORKER_LOG.read_text(errors="replace")
        if all(re.search(rf"Task [\w.]*{name}\[[^\]]+\] succeeded", log) for name in wanted):
            print("ok   the worker ran the sign-up and request emails")
            return
        time.sleep(0.5)
    sys.exit(f"FAIL the worker log does not show {wanted} succeeding:\n{WORKER_LOG.read_text()[-3000:]}")


if __name__ == "__main__":
    main()
