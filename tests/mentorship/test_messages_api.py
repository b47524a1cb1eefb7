import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Message
from tests.conftest import client_for
from tests.mentorship.together_worlds import FORMATS, complete, world_of


def _list(mentorship):
    return reverse("message-list", args=[mentorship.pk])


def _read(mentorship):
    return reverse("message-read", args=[mentorship.pk])


def _unread(user) -> int:
    return client_for(user).get(reverse("api-me")).json()["unread"]["messages"]


@pytest.mark.parametrize("kind", FORMATS)
def test_everyone_in_it_reads_the_conversation_newest_last_and_counts_what_is_unread(kind, mentee, mentor):
    mentorship, people = world_of(kind, mentee, mentor)
    first, *others = people

    assert client_for(first).post(_list(mentorship), {"body": "Hello all"}, format="json").status_code == 201
    assert client_for(others[-1]).post(_list(mentorship), {"body": "Hi back"}, format="json").status_code == 201

    for person in others:
        listed = client_for(person).get(_list(mentorship)).json()
        assert [m["body"] for m in listed["results"]] == ["Hello all", "Hi back"]
    assert _unread(first) == 1
    # Writing reads what came before: the one who answered has nothing unread; a circle's silent member has both.
    assert _unread(others[-1]) == 0
    assert _unread(others[0]) == (0 if len(others) == 1 else 2)
    me = client_for(first).get(reverse("api-me")).json()["unread"]
    assert me["mentorships"] == [{"mentorship": mentorship.pk, "messages": 1}]
    read = client_for(first).post(_read(mentorship))
    assert read.status_code == 200 and read.json()["unread"] == 0
    assert _unread(first) == 0


def test_the_others_get_one_email_per_conversation_in_15_minutes(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    client = client_for(mentee)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_list(mentorship), {"body": "One"}, format="json")
        client.post(_list(mentorship), {"body": "Two"}, format="json")

    assert [m.to[0] for m in mail.outbox] == [mentor.email]
    assert "One" in mail.outbox[0].body


def test_a_later_window_sends_again(mentorship, mentee, mentor, monkeypatch, django_capture_on_commit_callbacks):
    later = timezone.now() + dt.timedelta(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(mentee).post(_list(mentorship), {"body": "One"}, format="json")
        monkeypatch.setattr(timezone, "now", lambda: later)
        client_for(mentee).post(_list(mentorship), {"body": "Two"}, format="json")

    assert len(mail.outbox) == 2


def test_a_member_who_left_the_circle_is_not_in_its_conversation(mentor):
    from tests.formats import circle_world

    world = circle_world(mentor)
    circle = world["circle"]

    assert client_for(world["dan"]).get(_list(circle)).status_code == 404
    assert client_for(world["dan"]).post(_list(circle), {"body": "Hi"}, format="json").status_code == 404


def test_outsiders_and_admins_do_not_read_or_write_it(mentorship, outsider, admin_user):
    for person in (outsider, admin_user):
        assert client_for(person).get(_list(mentorship)).status_code == 404
        assert client_for(person).post(_list(mentorship), {"body": "Hi"}, format="json").status_code == 404
        assert client_for(person).post(_read(mentorship)).status_code == 404
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 10_001, "nul\x00byte"])
def test_bad_messages_are_refused_on_the_body(mentorship, mentee, body):
    answer = client_for(mentee).post(_list(mentorship), {"body": body}, format="json")

    assert answer.status_code == 400 and "body" in answer.json()


def test_a_long_message_of_10000_characters_is_fine(mentorship, mentee):
    answer = client_for(mentee).post(_list(mentorship), {"body": "x" * 10_000}, format="json")

    assert answer.status_code == 201


def test_an_ended_mentorship_takes_no_message(mentorship, mentee):
    complete(mentorship)

    answer = client_for(mentee).post(_list(mentorship), {"body": "Hi"}, format="json")

    assert answer.status_code == 409 and answer.json()["code"] == "mentorship_ended"
