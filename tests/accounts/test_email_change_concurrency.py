"""Confirmations of changes of address racing, each on its own PostgreSQL connection: never a 500, never two
accounts with one address."""

import threading
import time
from functools import partial

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from accounts.models import EmailChange, EmailRevert, User
from tests.accounts.race import race
from tests.factories import PASSWORD, EmailChangeFactory, EmailRevertFactory, MenteeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONFIRM = "/api/v1/me/email/confirm/"


def _confirm(token: str):
    return partial(APIClient().post, CONFIRM, {"token": token}, format="json")


def test_people_confirming_one_address_at_once_give_it_to_one_and_a_409_to_the_others(postgres):
    attempts = 6
    for i in range(attempts):
        EmailChangeFactory(user=MenteeFactory(username=f"racer{i}"), email="Popular@example.org", token=f"token-{i}")

    statuses = race([_confirm(f"token-{i}") for i in range(attempts)])

    assert sorted(statuses) == [200] + [409] * (attempts - 1)
    assert User.objects.filter(email__iexact="popular@example.org").count() == 1


def test_one_link_opened_twice_at_once_changes_the_address_once(postgres):
    change = EmailChangeFactory(email="twice@example.org", token="the-link")

    statuses = race([_confirm("the-link")] * 4)

    assert sorted(statuses) == [200, 400, 400, 400]
    assert User.objects.get(pk=change.user_id).email == "twice@example.org"
    assert not EmailChange.objects.exists()


@pytest.mark.parametrize("attempt", range(3))  # a few times: which of the two goes first varies
def test_a_confirmation_racing_a_newer_request_of_the_same_person_ends_cleanly(postgres, attempt):
    """Both take the person's row, then the pending change: one waits for the other, neither deadlocks."""
    change = EmailChangeFactory(email="first@example.org", token="the-first-link")
    person = APIClient()
    person.force_authenticate(change.user)
    newer = partial(
        person.patch, "/api/v1/me/", {"email": "second@example.org", "current_password": PASSWORD}, format="json"
    )

    statuses = race([_confirm("the-first-link"), newer])

    assert sorted(statuses) in ([200, 200], [200, 400])  # the link came first, or was replaced first
    assert EmailChange.objects.get().email == "second@example.org"


def test_a_confirmation_that_meets_another_accounts_claim_in_flight_is_a_409(postgres):
    """The address is free when the confirmation checks it, and taken by the time it is saved: another account's
    change, not committed yet, holds it in the unique index until it commits."""
    EmailChangeFactory(email="popular@example.org", token="the-link")
    other = MenteeFactory(username="quicker")
    statuses: list[int] = []

    with transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="POPULAR@example.org")
        confirming = threading.Thread(target=lambda: statuses.extend(race([_confirm("the-link")])))
        confirming.start()
        time.sleep(1)  # the confirmation checks (the address looks free) and waits on the index
    confirming.join(timeout=60)

    assert statuses == [409]
    assert User.objects.filter(email__iexact="popular@example.org").get() == other


def _revert(token: str):
    return partial(APIClient().post, "/api/v1/me/email/revert/", {"token": token}, format="json")


def test_one_undo_link_opened_twice_at_once_undoes_the_change_once(postgres):
    revert = EmailRevertFactory(user=MenteeFactory(username="maya", email="thief@example.org"), token="the-way-back")

    statuses = race([_revert("the-way-back")] * 4)

    assert sorted(statuses) == [200, 400, 400, 400]
    maya = User.objects.get(pk=revert.user_id)
    assert (maya.email, maya.session_generation) == ("maya@example.org", 1)
    assert not EmailRevert.objects.exists()


@pytest.mark.parametrize("attempt", range(3))
def test_an_undo_racing_a_confirmation_of_the_same_person_ends_cleanly(postgres, attempt):
    """Both take the person's row first: the undo comes first and cancels the pending change, or the change comes
    first and is undone all the same."""
    maya = MenteeFactory(username="maya", email="thief@example.org")
    EmailRevertFactory(user=maya, token="the-way-back")
    EmailChangeFactory(user=maya, email="thief.again@example.org", token="the-thiefs-link")

    statuses = race([_revert("the-way-back"), _confirm("the-thiefs-link")])

    assert sorted(statuses) in ([200, 200], [200, 400])
    assert User.objects.get(pk=maya.pk).email == "maya@example.org"
    assert not EmailChange.objects.exists()
