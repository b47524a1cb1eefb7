"""Reminders 24 hours and 1 hour before a meeting: each sent once, however often the beat runs."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mentorship.models import Meeting
from mentorship.reminders import meeting_reminders_send
from notifications.models import Notification
from tests.formats import circle_world
from tests.mentorship.meetings import call, meetings_url

pytestmark = pytest.mark.django_db


def _planned_long_ago(capture, user, mentorship, starts_at, **body):
    """A meeting planned two days before `starts_at` (so that its 24-hour reminder is due in time)."""
    response = call(
        capture,
        user,
        "post",
        meetings_url(mentorship),
        {"starts_at": starts_at.isoformat(), "duration_minutes": 30, **body},
    )
    assert response.status_code == 201, response.data
    Meeting.objects.filter(pk=response.json()["id"]).update(updated_at=starts_at - dt.timedelta(days=2))
    mail.outbox.clear()
    return response.json()


def _send(capture, now):
    with capture(execute=True):
        return meeting_reminders_send(now)


def test_each_reminder_goes_once_to_each_attendee(mentorship, mentee, mentor, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    start = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    _planned_long_ago(capture, mentor, mentorship, start)

    early = _send(capture, start - dt.timedelta(hours=25))
    day_before = [_send(capture, start - dt.timedelta(hours=23, minutes=58)) for _ in range(2)]
    hour_before = [_send(capture, start - dt.timedelta(minutes=55)) for _ in range(2)]
    after = _send(capture, start + dt.timedelta(minutes=1))

    assert early == 0
    assert day_before == [2, 0]
    assert hour_before == [2, 0]
    assert after == 0
    assert sorted((m.to[0], m.subject.split(",")[0]) for m in mail.outbox) == sorted(
        [
            (mentee.email, "Reminder: meeting tomorrow"),
            (mentor.email, "Reminder: meeting tomorrow"),
            (mentee.email, "Reminder: meeting in an hour"),
            (mentor.email, "Reminder: meeting in an hour"),
        ]
    )


def test_a_rescheduled_meeting_reminds_again_and_a_cancelled_one_does_not(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    start = (timezone.now() + dt.timedelta(hours=2)).replace(microsecond=0)
    meeting = _planned_long_ago(capture, mentor, mentorship, start)
    other = _planned_long_ago(capture, mentor, mentorship, start + dt.timedelta(minutes=10))
    call(capture, mentee, "delete", meetings_url(mentorship, other))

    first = _send(capture, start - dt.timedelta(minutes=30))
    call(
        capture,
        mentee,
        "patch",
        meetings_url(mentorship, meeting),
        {"starts_at": (start + dt.timedelta(minutes=15)).isoformat()},
    )
    second = _send(capture, start - dt.timedelta(minutes=20))

    assert first == 2
    assert second == 2
    keys = sorted(Notification.objects.exclude(once_key="").values_list("once_key", flat=True))
    assert keys == sorted([f"meeting-{meeting['id']}-{seq}-1h" for seq in (0, 1) for _ in (mentee, mentor)])


def test_a_member_who_left_the_circle_is_not_reminded(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    world = circle_world()
    start = (timezone.now() + dt.timedelta(hours=5)).replace(microsecond=0)
    _planned_long_ago(capture, world["mentor"], world["circle"], start)
    member = world["circle"].members.get(user=world["cy"])
    member.status, member.left_at = "left", timezone.now()
    member.save()

    sent = _send(capture, start - dt.timedelta(minutes=30))

    assert sent == 3
    assert world["cy"].email not in {m.to[0] for m in mail.outbox}
