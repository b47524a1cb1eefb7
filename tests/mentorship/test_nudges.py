"""The platform's own nudges and reminders, run by celery beat every hour: a nudge to everyone in an active
mentorship with no session for 1.5 × its cadence, once per quiet spell; a reminder to whoever was asked and has not
answered a request for 3 days, once per request. Run twice (two beat processes, a retried task), each is sent once."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from mentorship import tasks
from mentorship.models import Meeting, Nudge
from notifications.models import Notification
from tests import formats
from tests.factories import MentorshipFactory, ProgramFactory, RequestFactory, SessionFactory

pytestmark = pytest.mark.django_db

CADENCE = 10  # 1.5 × 10 = 15 days
TODAY = timezone.localdate()


@pytest.fixture
def program():
    return ProgramFactory(slug="tenday", name="Ten-day mentoring", session_cadence_days=CADENCE)


def _started(program, days_ago: int, **fields):
    return MentorshipFactory(program=program, started_at=timezone.now() - dt.timedelta(days=days_ago), **fields)


def _run(task, capture) -> int:
    with capture(execute=True):
        return task()


def _nudged(mentorship) -> list[str]:
    return sorted(
        Notification.objects.filter(kind="nudge", link=f"/mentorships/{mentorship.pk}/").values_list(
            "recipient__username", flat=True
        )
    )


def test_a_quiet_mentorship_is_nudged_once_whoever_runs_the_task_and_however_often(
    program, django_capture_on_commit_callbacks
):
    quiet = _started(program, days_ago=60)
    SessionFactory(mentorship=quiet, date=TODAY - dt.timedelta(days=16))
    on_the_day = _started(program, days_ago=60)
    SessionFactory(mentorship=on_the_day, date=TODAY - dt.timedelta(days=15))

    first = _run(tasks.send_quiet_nudges, django_capture_on_commit_callbacks)
    second = _run(tasks.send_quiet_nudges, django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert _nudged(quiet) == sorted(person.username for person in quiet.people())
    assert _nudged(on_the_day) == []
    assert len(mail.outbox) == 2
    assert all(f"/mentorships/{quiet.pk}/" in m.body for m in mail.outbox)


def test_a_new_quiet_spell_after_a_session_is_nudged_again(program, django_capture_on_commit_callbacks):
    quiet = _started(program, days_ago=60)
    _run(tasks.send_quiet_nudges, django_capture_on_commit_callbacks)  # never met: quiet since it started
    SessionFactory(mentorship=quiet, date=TODAY - dt.timedelta(days=20))  # met, then went quiet again

    assert _run(tasks.send_quiet_nudges, django_capture_on_commit_callbacks) == 1
    assert Nudge.objects.filter(mentorship=quiet).count() == 2
    assert len(mail.outbox) == 4


def test_a_spell_already_nudged_is_not_nudged_even_when_the_run_did_not_see_it():
    """Two beat processes at once: the second finds the spell taken by the database, not by its own read."""
    from mentorship import nudges

    program = ProgramFactory(slug="race", session_cadence_days=CADENCE)
    quiet = _started(program, days_ago=60)
    (annotated,) = nudges._with_facts(type(quiet).objects.filter(pk=quiet.pk))

    assert nudges._quiet_nudge(annotated, nudges.quiet_spell_key(annotated)) is True
    assert nudges._quiet_nudge(annotated, nudges.quiet_spell_key(annotated)) is False
    assert Notification.objects.filter(kind="nudge").count() == 2  # Otto and Maya, once each


def test_circles_and_peer_pairs_are_nudged_everyone_in_them(django_capture_on_commit_callbacks):
    circle, peers = formats.circle_world(), formats.peer_world()
    for mentorship in (circle["circle"], peers["pair"]):
        mentorship.started_at = timezone.now() - dt.timedelta(days=60)
        mentorship.save(update_fields=["started_at"])

    assert _run(tasks.send_quiet_nudges, django_capture_on_commit_callbacks) == 2
    assert _nudged(circle["circle"]) == ["ana", "ben", "cy", "otto"]  # Dan left
    assert _nudged(peers["pair"]) == ["ivy", "jon"]


def test_a_completed_mentorship_is_not_nudged(program, django_capture_on_commit_callbacks):
    MentorshipFactory(
        program=program,
        status="completed",
        started_at=timezone.now() - dt.timedelta(days=90),
        ended_at=timezone.now() - dt.timedelta(days=60),
    )

    assert _run(tasks.send_quiet_nudges, django_capture_on_commit_callbacks) == 0


def _asked(days_ago: float, **fields):
    request = RequestFactory(**fields)
    type(request).objects.filter(pk=request.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return request


def test_whoever_was_asked_is_reminded_once_of_a_request_unanswered_for_three_days(
    django_capture_on_commit_callbacks,
):
    waiting = _asked(3.01)
    _asked(2.9)  # not yet
    _asked(5, status="declined", responded_at=timezone.now())

    first = _run(tasks.send_request_reminders, django_capture_on_commit_callbacks)
    second = _run(tasks.send_request_reminders, django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    (reminder,) = Notification.objects.filter(kind="request_reminder")
    assert (reminder.recipient_id, reminder.once_key) == (waiting.mentor_id, f"request-{waiting.pk}-reminder")
    assert [m.to for m in mail.outbox] == [[waiting.mentor.email]]
    assert "/requests/" in mail.outbox[0].body and str(waiting.mentee) in mail.outbox[0].body


def test_a_peer_asked_to_pair_is_reminded_too(django_capture_on_commit_callbacks):
    peers = formats.peer_world()
    _asked(4, program=peers["program"], mentee=peers["kai"], mentor=peers["lea"])

    assert _run(tasks.send_request_reminders, django_capture_on_commit_callbacks) == 1
    assert "to pair up as peers" in mail.outbox[0].body and mail.outbox[0].to == [peers["lea"].email]


def test_the_beat_runs_both_every_hour():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert schedule["mentorship.tasks.send_quiet_nudges"] == 60 * 60
    assert schedule["mentorship.tasks.send_request_reminders"] == 60 * 60


def test_a_quiet_mentorship_with_a_meeting_planned_is_not_nudged(program, django_capture_on_commit_callbacks):
    planned = _started(program, days_ago=60)
    Meeting.objects.create(
        mentorship=planned,
        organiser=planned.mentor,
        starts_at=timezone.now() + dt.timedelta(days=2),
        timezone="UTC",
        duration_minutes=30,
    )
    cancelled = _started(program, days_ago=60)
    Meeting.objects.create(
        mentorship=cancelled,
        organiser=cancelled.mentor,
        starts_at=timezone.now() + dt.timedelta(days=2),
        timezone="UTC",
        duration_minutes=30,
        status=Meeting.Status.CANCELLED,
    )

    assert _run(tasks.send_quiet_nudges, django_capture_on_commit_callbacks) == 1
    assert _nudged(planned) == []
    assert _nudged(cancelled) == sorted(person.username for person in cancelled.people())
