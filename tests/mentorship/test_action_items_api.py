import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorship.models import ActionItem
from tests.conftest import client_for
from tests.factories import SessionFactory
from tests.mentorship.together_worlds import FORMATS, complete, tomorrow, world_of


def _list(mentorship):
    return reverse("action-item-list", args=[mentorship.pk])


def _detail(item):
    return reverse("action-item-detail", args=[item.mentorship_id, item.pk])


@pytest.mark.parametrize("kind", FORMATS)
def test_anyone_in_it_gives_anyone_in_it_an_item_and_ticks_it(kind, mentee, mentor, django_capture_on_commit_callbacks):
    mentorship, people = world_of(kind, mentee, mentor)
    author, owner = people[0], people[-1]

    with django_capture_on_commit_callbacks(execute=True):
        made = client_for(author).post(
            _list(mentorship), {"title": "Draft the talk", "owner": owner.pk, "due_on": tomorrow()}, format="json"
        )

    assert made.status_code == 201, made.json()
    assert made.json()["owner"]["id"] == owner.pk and made.json()["done"] is False
    assert [m.to[0] for m in mail.outbox] == [owner.email]
    item = ActionItem.objects.get()
    ticked = client_for(owner).patch(_detail(item), {"done": True}, format="json")
    assert ticked.status_code == 200 and ticked.json()["done"] and ticked.json()["done_at"]
    listed = client_for(people[1]).get(_list(mentorship)).json()
    assert [i["title"] for i in listed["results"]] == ["Draft the talk"]


def test_an_item_for_oneself_sends_no_email(mentorship, mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(mentee).post(_list(mentorship), {"title": "Read the book", "owner": mentee.pk}, format="json")

    assert mail.outbox == []


def test_the_owner_must_be_in_the_mentorship(mentorship, mentee, outsider):
    made = client_for(mentee).post(_list(mentorship), {"title": "X", "owner": outsider.pk}, format="json")
    item = ActionItem.objects.create(mentorship=mentorship, title="Y", owner=mentee, created_by=mentee)
    moved = client_for(mentee).patch(_detail(item), {"owner": outsider.pk}, format="json")

    assert made.status_code == 400 and "owner" in made.json()
    assert moved.status_code == 400 and "owner" in moved.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\nb"}, "title"),
        ({"due_on": "2001-01-01"}, "due_on"),
        ({"owner": "me"}, "owner"),
        ({"owner": 2**70}, "owner"),
        ({"session": 999999}, "session"),
    ],
)
def test_bad_items_are_refused_on_their_field(mentorship, mentee, body, field):
    answer = client_for(mentee).post(_list(mentorship), {"title": "T", "owner": mentee.pk, **body}, format="json")

    assert answer.status_code == 400 and field in answer.json()


def test_an_item_may_come_from_one_of_its_sessions(mentorship, mentee):
    session = SessionFactory(mentorship=mentorship)

    made = client_for(mentee).post(
        _list(mentorship), {"title": "T", "owner": mentee.pk, "session": session.pk}, format="json"
    )

    assert made.status_code == 201 and made.json()["session"] == session.pk


def test_an_ended_mentorship_takes_no_change_of_items(mentorship, mentee):
    item = ActionItem.objects.create(mentorship=mentorship, title="Y", owner=mentee, created_by=mentee)
    complete(mentorship)

    made = client_for(mentee).post(_list(mentorship), {"title": "T", "owner": mentee.pk}, format="json")
    ticked = client_for(mentee).patch(_detail(item), {"done": True}, format="json")

    assert made.status_code == 409 and made.json()["code"] == "mentorship_ended"
    assert ticked.status_code == 409 and ticked.json()["code"] == "mentorship_ended"
    assert client_for(mentee).get(_list(mentorship)).status_code == 200


def test_outsiders_get_404_and_admins_read_only(mentorship, mentee, outsider, admin_user):
    item = ActionItem.objects.create(mentorship=mentorship, title="Y", owner=mentee, created_by=mentee)

    assert client_for(outsider).get(_list(mentorship)).status_code == 404
    assert client_for(outsider).patch(_detail(item), {"done": True}, format="json").status_code == 404
    assert client_for(admin_user).get(_list(mentorship)).status_code == 200
    assert client_for(admin_user).patch(_detail(item), {"done": True}, format="json").status_code == 403


def test_an_item_past_its_due_date_is_overdue(mentorship, mentee):
    past = timezone.localdate() - dt.timedelta(days=2)
    ActionItem.objects.create(mentorship=mentorship, title="Late", owner=mentee, created_by=mentee, due_on=past)

    listed = client_for(mentee).get(_list(mentorship)).json()["results"]

    assert listed[0]["overdue"] is True
