"""Confirmations racing, each on its own PostgreSQL connection: never a 500, never two accounts."""

from functools import partial

import pytest
from django.contrib.auth.hashers import make_password
from rest_framework.test import APIClient

from accounts.models import SignUp, User
from tests.accounts.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _pending(i: int, *, username: str) -> str:
    token = f"token-{i}-of-a-racing-confirmation"
    SignUp.objects.create(
        email=f"popular{i}@example.org",
        username=username,
        full_name=f"Racer {i}",
        role="mentee",
        password=make_password("a-long-unusual-secret"),
        token_digest=SignUp.digest_of(token),
    )
    return token


def _race(bodies: list[dict]) -> list[int]:
    return race([partial(APIClient().post, "/api/v1/auth/register/confirm/", body, format="json") for body in bodies])


def test_racing_confirmations_of_one_username_give_one_account_and_clear_400s(postgres):
    attempts = 8
    tokens = [_pending(i, username="popular") for i in range(attempts)]

    statuses = _race([{"token": token} for token in tokens])

    assert sorted(statuses) == [201] + [400] * (attempts - 1)
    assert User.objects.filter(username="popular").count() == 1
    assert SignUp.objects.count() == attempts - 1  # the others may still choose another username


def test_one_link_opened_twice_at_once_makes_one_account(postgres):
    token = _pending(0, username="twice")

    statuses = _race([{"token": token}] * 4)

    assert sorted(statuses) == [201, 400, 400, 400]
    assert User.objects.filter(username="twice").count() == 1
