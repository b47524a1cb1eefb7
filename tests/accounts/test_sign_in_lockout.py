"""Failed sign-ins on the page and on `auth/token/`, and password-reset requests, share one counter per username
and one per client address (django-axes). At the limit the username, or the address, is refused for the lockout
time in exactly the words of a wrong password."""

import datetime as dt
import io
import re
import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts import services
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 3  # below the throttles' 10 a minute, which would answer first
HERE, THERE, ELSEWHERE = "10.0.0.1", "10.0.0.2", "10.0.0.3"
NEW_PASSWORD = "a-fresh-secret-42"


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def token(username: str, password: str, address: str = HERE):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def page(client, username: str, password: str, address: str = HERE):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def page_answer(response) -> tuple[int, str]:
    """Status and page, but for the CSRF token, which differs on every page."""
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def api_answer(response) -> tuple[int, dict]:
    return response.status_code, response.json()


def test_wrong_passwords_on_the_page_lock_the_username_for_the_token_endpoint_as_a_wrong_password(client, mentee):
    for i in range(LIMIT):
        page(client, "maya", f"guess-{i}")

    right = token("maya", PASSWORD, address=THERE)

    assert api_answer(right) == api_answer(token("maya", "another-guess", address=ELSEWHERE))
    assert right.status_code == 400 and "token" not in right.json()


def test_a_locked_account_s_sign_in_page_answers_as_a_wrong_password(client, mentee):
    for i in range(LIMIT):
        token("maya", f"guess-{i}")

    right = page(client, "maya", PASSWORD, address=THERE)

    assert page_answer(right) == page_answer(page(client, "maya", "another-guess", address=ELSEWHERE))
    assert right.status_code == 200 and "correct username and password" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_from_one_address_lock_it_for_every_username(client, mentee):
    for username in ("oscar", "nobody", "olga"):
        page(client, username, "guess")

    refused = token("maya", PASSWORD)

    assert api_answer(refused) == api_answer(token("maya", "guess", address=ELSEWHERE))
    assert token("maya", PASSWORD, address=THERE).status_code == 200  # neither Maya nor that address is locked


def test_password_reset_requests_count_toward_the_address(client, mentee):
    page(client, "oscar", "guess")
    for _ in range(LIMIT - 1):
        client.post("/accounts/password-reset/", {"email": "someone@example.org"}, REMOTE_ADDR=HERE)

    assert token("maya", PASSWORD).status_code == 400
    assert token("maya", PASSWORD, address=THERE).status_code == 200


def test_a_locked_address_asking_for_a_reset_gets_the_usual_answer_and_no_email(client, mentee):
    for i in range(LIMIT):
        page(client, "maya", f"guess-{i}")

    response = client.post("/accounts/password-reset/", {"email": "maya@example.org"}, REMOTE_ADDR=HERE)

    assert (response.status_code, response["Location"]) == (302, "/accounts/password-reset/sent/")
    assert mail.outbox == []
    client.post("/accounts/password-reset/", {"email": "maya@example.org"}, REMOTE_ADDR=THERE)
    assert len(mail.outbox) == 1


def test_reset_requests_from_many_addresses_lock_none_of_the_others(client, mentee):
    for i in range(LIMIT):
        client.post("/accounts/password-reset/", {"email": "someone@example.org"}, REMOTE_ADDR=f"10.1.0.{i}")

    client.post("/accounts/password-reset/", {"email": "maya@example.org"}, REMOTE_ADDR=THERE)

    assert len(mail.outbox) == 1
    assert token("maya", PASSWORD, address=THERE).status_code == 200


def test_the_lockout_ends_after_the_cool_off(settings, mentee):
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    for i in range(LIMIT):
        token("maya", f"guess-{i}")
    assert token("maya", PASSWORD, address=THERE).status_code == 400

    time.sleep(1.2)

    assert token("maya", PASSWORD, address=THERE).status_code == 200


def test_attempts_during_the_lockout_do_not_prolong_it(settings, mentee):
    """Someone who keeps trying their right password while locked out gets in when the lockout ends."""
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=2)
    for i in range(LIMIT):
        token("maya", f"guess-{i}")

    time.sleep(1.2)
    assert token("maya", PASSWORD).status_code == 400
    time.sleep(1.2)

    assert token("maya", PASSWORD).status_code == 200


def test_the_right_password_before_the_limit_clears_the_count(client, mentee):
    for i in range(LIMIT - 1):
        page(client, "maya", f"guess-{i}")
    assert page(client, "maya", PASSWORD).status_code == 302  # signed in on the page

    for i in range(LIMIT - 1):
        token("maya", f"guess-{i}")
    assert token("maya", PASSWORD).status_code == 200  # and through the API

    for i in range(LIMIT - 1):
        token("maya", f"guess-{i}")
    assert token("maya", PASSWORD).status_code == 200


def test_choosing_a_new_password_through_the_reset_link_lifts_the_lockout_of_the_account(mentee):
    for i in range(LIMIT):
        token("maya", f"guess-{i}")

    mentee.set_password(NEW_PASSWORD)
    mentee.save()
    services.password_reset_completed(user=mentee)

    assert token("maya", NEW_PASSWORD, address=THERE).status_code == 200
    assert token("nobody", "guess").status_code == 400  # the address that guessed stays locked


def test_an_admin_can_lift_a_lockout_early(mentee, mentor):
    for i in range(LIMIT):
        token("maya", f"guess-{i}")

    call_command("axes_reset_username", "maya", stdout=io.StringIO())
    assert token("maya", PASSWORD, address=THERE).status_code == 200
    assert token("otto", PASSWORD).status_code == 400  # the address is still locked...
    call_command("axes_reset_ip", HERE, stdout=io.StringIO())
    assert token("otto", PASSWORD).status_code == 200  # ...until it is lifted too


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting the passwords it hashes."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


def test_a_locked_account_s_answer_takes_as_long_as_a_wrong_password_s(settings, mentee):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]

    def hashes_for(username, password, address):
        before = CountingHasher.hashed
        token(username, password, address)
        return CountingHasher.hashed - before

    wrong = hashes_for("maya", "guess", THERE)
    for i in range(LIMIT):
        token("maya", f"guess-{i}")

    assert hashes_for("maya", PASSWORD, ELSEWHERE) == wrong == 1
