"""The inbox and the delivery settings over the API: everyone's own, paginated like the other lists, and every
bad value a 400 naming what is wrong."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.kinds import KINDS
from notifications.models import Notification, NotificationSetting
from tests.conftest import client_for
from tests.openapi import assert_matches_schema

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ = "/api/v1/notifications/read/"
SETTINGS = "/api/v1/me/notification-settings/"
SECURITY = next(key for key, kind in KINDS.items() if kind.security)


def notice(person, subject, *, ago=0, read=False, kind="request"):
    row = Notification.objects.create(
        recipient=person, kind=kind, subject=subject, body=f"{subject}.", link="/requests/"
    )
    created = timezone.now() - dt.timedelta(minutes=ago)
    Notification.objects.filter(pk=row.pk).update(created_at=created, read_at=created if read else None)
    return row


def test_the_inbox_lists_my_notices_newest_first_and_never_anothers(mentee, mentor):
    notice(mentee, "Old", ago=30, read=True)
    notice(mentee, "New", ago=1)
    notice(mentor, "Otto's own")

    response = client_for(mentee).get(LIST)

    assert response.status_code == 200
    assert_matches_schema(response)
    body = response.json()
    assert body["count"] == 2
    assert [n["subject"] for n in body["results"]] == ["New", "Old"]
    assert set(body["results"][0]) == {"id", "kind", "subject", "body", "link", "created_at", "read_at"}
    assert body["results"][0]["read_at"] is None and body["results"][1]["read_at"] is not None


def test_unread_true_lists_only_the_unread_and_false_only_the_read(mentee):
    notice(mentee, "Read", read=True)
    notice(mentee, "Unread")
    client = client_for(mentee)

    assert [n["subject"] for n in client.get(LIST, {"unread": "true"}).json()["results"]] == ["Unread"]
    assert [n["subject"] for n in client.get(LIST, {"unread": "false"}).json()["results"]] == ["Read"]


@pytest.mark.parametrize("query", [{"unread": "perhaps"}, {"page_size": "0"}, {"page": "x"}])
def test_bad_list_parameters_are_400_or_404_never_500(mentee, query):
    response = client_for(mentee).get(LIST, query)

    assert response.status_code in (400, 404)
    if "unread" in query:
        assert "unread" in response.json()


def test_the_inbox_pages_like_the_other_lists(mentee):
    for n in range(25):
        notice(mentee, f"Notice {n}", ago=n)

    first = client_for(mentee).get(LIST).json()
    second = client_for(mentee).get(LIST, {"page": 2}).json()

    assert first["count"] == 25 and len(first["results"]) == 20 and first["next"]
    assert [n["subject"] for n in second["results"]] == [f"Notice {n}" for n in range(20, 25)]


def test_marking_named_notices_read_ignores_others_ids(mentee, mentor):
    mine, also_mine = notice(mentee, "Mine"), notice(mentee, "Also mine")
    theirs = notice(mentor, "Theirs")

    response = client_for(mentee).post(READ, {"ids": [mine.pk, theirs.pk]}, format="json")

    assert response.status_code == 200
    assert_matches_schema(response)
    assert response.json() == {"marked": 1, "unread": 1}
    theirs.refresh_from_db(), also_mine.refresh_from_db()
    assert theirs.read_at is None and also_mine.read_at is None


def test_an_empty_body_marks_every_notice_of_mine_read(mentee, mentor):
    notice(mentee, "One"), notice(mentee, "Two"), notice(mentee, "Read before", read=True)
    theirs = notice(mentor, "Theirs")

    response = client_for(mentee).post(READ, {}, format="json")

    assert response.json() == {"marked": 2, "unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_again_marks_nothing(mentee):
    notice(mentee, "One")
    client_for(mentee).post(READ, {}, format="json")

    assert client_for(mentee).post(READ, {}, format="json").json() == {"marked": 0, "unread": 0}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ids": "all"}, "ids"),
        ({"ids": ["x"]}, "ids"),
        ({"ids": [2**63]}, "ids"),
        ({"ids": [0]}, "ids"),
        ({"ids": list(range(1, 1002))}, "ids"),
        ({"everything": True}, "everything"),
    ],
)
def test_bad_ids_are_400_naming_the_field(mentee, body, field):
    response = client_for(mentee).post(READ, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_the_settings_list_every_kind_with_its_delivery_and_whether_it_may_change(mentee):
    NotificationSetting.objects.create(user=mentee, kind="round", delivery="weekly")

    response = client_for(mentee).get(SETTINGS)

    assert response.status_code == 200
    assert_matches_schema(response)
    by_kind = {item["kind"]: item for item in response.json()}
    assert set(by_kind) == set(KINDS)
    assert by_kind["round"]["delivery"] == "weekly"
    assert by_kind["request"] == {
        "kind": "request",
        "name": KINDS["request"].name,
        "delivery": "immediately",
        "changeable": True,
    }
    assert by_kind[SECURITY]["changeable"] is False and by_kind[SECURITY]["delivery"] == "immediately"


def test_patching_changes_the_kinds_named_and_answers_with_every_kind(mentee, mentor):
    response = client_for(mentee).patch(SETTINGS, {"request": "daily", "round": "off"}, format="json")

    assert response.status_code == 200
    assert_matches_schema(response)
    by_kind = {item["kind"]: item["delivery"] for item in response.json()}
    assert (by_kind["request"], by_kind["round"], by_kind["program"]) == ("daily", "off", "immediately")
    again = client_for(mentee).patch(SETTINGS, {"request": "weekly"}, format="json").json()
    assert {item["kind"]: item["delivery"] for item in again}["request"] == "weekly"
    assert NotificationSetting.objects.filter(user=mentee).count() == 2
    assert not NotificationSetting.objects.filter(user=mentor).exists()


def test_a_security_kind_may_be_sent_immediately_but_not_held_or_turned_off(mentee):
    client = client_for(mentee)

    assert client.patch(SETTINGS, {SECURITY: "immediately"}, format="json").status_code == 200
    for delivery in ("daily", "weekly", "off"):
        response = client.patch(SETTINGS, {SECURITY: delivery, "request": "daily"}, format="json")
        assert response.status_code == 400
        assert list(response.json()) == [SECURITY]
    assert not NotificationSetting.objects.filter(user=mentee).exists()  # all or nothing


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"gossip": "daily"}, "gossip"),
        ({"request": "hourly"}, "request"),
        ({"request": None}, "request"),
        ({"request": ["daily"]}, "request"),
        ({"request": 1}, "request"),
    ],
)
def test_an_unknown_kind_or_delivery_is_400_naming_the_kind(mentee, body, field):
    response = client_for(mentee).patch(SETTINGS, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not NotificationSetting.objects.exists()


@pytest.mark.parametrize("body", [[], "daily", 7])
def test_a_body_that_is_not_an_object_is_400(mentee, body):
    assert client_for(mentee).patch(SETTINGS, body, format="json").status_code == 400


def test_signed_out_is_401_everywhere(anon):
    assert anon.get(LIST).status_code == 401
    assert anon.post(READ, {}, format="json").status_code == 401
    assert anon.get(SETTINGS).status_code == 401
    assert anon.patch(SETTINGS, {"request": "off"}, format="json").status_code == 401
