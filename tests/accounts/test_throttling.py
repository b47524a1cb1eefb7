"""Guessing passwords or links and mass sign-ups are slowed down per address, on the API and on the pages."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_token_endpoint_answers_429_after_ten_attempts_a_minute(anon, mentee):
    answers = [
        anon.post("/api/v1/auth/token/", {"username": "maya", "password": f"guess-{i}"}, format="json").status_code
        for i in range(11)
    ]

    assert answers == [400] * 10 + [429]
    right = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json")
    assert right.status_code == 429  # even the right password waits: the guesser must not learn it was right
    assert "throttled" in right.json()["detail"]


def test_another_address_is_not_slowed_down_by_the_first(anon, mentee):
    for i in range(11):  # (guessing at another username: Maya's own would be locked, wherever she signs in from)
        anon.post("/api/v1/auth/token/", {"username": "nobody", "password": f"guess-{i}"}, format="json")

    other = anon.post(
        "/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json", REMOTE_ADDR="10.9.8.7"
    )

    assert other.status_code == 200


def test_registration_answers_429_after_twenty_sign_ups_an_hour(anon):
    def register(i):
        body = {
            "username": f"user{i}",
            "email": f"user{i}@example.org",
            "password": "a-long-unusual-secret",
            "role": "mentee",
            "full_name": f"User {i}",
        }
        return anon.post("/api/v1/auth/register/", body, format="json").status_code

    answers = [register(i) for i in range(21)]

    assert answers == [201] * 20 + [429]


def test_guessing_links_that_change_an_address_answers_429_after_twenty_an_hour(anon):
    answers = [
        anon.post("/api/v1/me/email/confirm/", {"token": f"guess-{i}"}, format="json").status_code for i in range(21)
    ]

    assert answers == [400] * 20 + [429]


def test_the_sign_in_page_says_to_wait_after_ten_attempts(client, mentee):
    for i in range(10):
        client.post("/accounts/login/", {"username": "maya", "password": f"guess-{i}"})

    response = client.post("/accounts/login/", {"username": "maya", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_password_reset_page_is_slowed_down_too(client, mentee):
    for _ in range(10):
        client.post("/accounts/password-reset/", {"email": "someone@example.org"})

    response = client.post("/accounts/password-reset/", {"email": "someone@example.org"})

    assert response.status_code == 429


def test_asking_for_new_addresses_is_limited_per_person_but_other_profile_changes_are_not(mentee_client):
    answers = [
        mentee_client.patch(
            "/api/v1/me/", {"email": f"new{i}@example.org", "current_password": PASSWORD}, format="json"
        ).status_code
        for i in range(21)
    ]

    assert answers == [200] * 20 + [429]  # each request emails the address: no mail bombing through profiles
    assert mentee_client.patch("/api/v1/me/", {"full_name": "Maya M."}, format="json").status_code == 200
