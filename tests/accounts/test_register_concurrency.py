"""Registrations racing for one username, each on its own PostgreSQL connection."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_registrations_of_one_username_give_one_account_and_clear_400s(postgres):
    attempts = 8
    barrier = threading.Barrier(attempts)
    statuses: list[int] = []

    def register(i: int) -> None:
        try:
            barrier.wait()
            response = APIClient().post(
                "/api/v1/auth/register/",
                {
                    "username": "popular",
                    "email": f"popular{i}@example.org",
                    "password": "a-long-unusual-secret",
                    "role": "mentee",
                    "full_name": f"Racer {i}",
                },
                format="json",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [201] + [400] * (attempts - 1)
    assert User.objects.filter(username="popular").count() == 1
