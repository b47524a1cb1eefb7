"""Planned meetings over the API: who plans, changes, cancels and records them, in every format, and the inputs
refused."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mentorship.models import Meeting, Session
from tests.conftest import client_for
from tests.factories import MentorshipFactory
from tests.formats import circle_world, peer_world
from tests.mentorship.meetings import call, event_of, invitations, meetings_url, set_zone

pytestmark = pytest.mark.django_db

NEXT_WEEK = (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)


def plan(capture, user, mentorship, **body):
    body = {"starts_at": NEXT_WEEK.isoformat(), "duration_minutes": 45, **body}
    return call(capture, user, "post", meetings_url(mentorship), body)


def test_either_side_of_a_one_on_one_plans_a_meeting_and_everyone_is_invited(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    response = plan(
        django_capture_on_commit_callbacks,
        mentee,
        mentorship,
        location="Café Nero",
        video_url="https://meet.example.org/abc",
        agenda="Feedback on my talk",
    )

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "planned"
    assert body["sequence"] == 0
    assert body["organiser"]["id"] == mentee.pk
    assert {a["id"] for a in body["attendees"]} == {mentee.pk, mentor.pk}
    assert body["can_edit"] is True
    assert dt.datetime.fromisoformat(body["starts_at"]) == NEXT_WEEK
    assert dt.datetime.fromisoformat(body["ends_at"]) == NEXT_WEEK + dt.timedelta(minutes=45)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])


def test_a_naive_start_is_read_in_the_organisers_zone_and_shown_with_its_offset(
    mentorship, mentor, django_capture_on_commit_callbacks
):
    set_zone(mentor, "America/New_York")

    response = plan(django_capture_on_commit_callbacks, mentor, mentorship, starts_at="2027-07-01T09:00")

    assert response.status_code == 201
    assert response.json()["timezone"] == "America/New_York"
    assert response.json()["starts_at"] == "2027-07-01T09:00:00-04:00"
    assert Meeting.objects.get().starts_at == dt.datetime(2027, 7, 1, 13, 0, tzinfo=dt.UTC)


def test_a_naive_start_in_the_hour_the_clocks_skip_is_refused_on_the_field(
    mentorship, mentor, django_capture_on_commit_callbacks
):
    response = plan(
        django_capture_on_commit_callbacks, mentor, mentorship, starts_at="2027-03-28T01:30", timezone="Europe/London"
    )

    assert response.status_code == 400
    assert "does not exist in Europe/London" in response.json()["starts_at"][0]
    assert not Meeting.objects.exists()


def test_a_naive_start_in_the_hour_the_clocks_repeat_is_its_first_passing(
    mentorship, mentor, django_capture_on_commit_callbacks
):
    response = plan(
        django_capture_on_commit_callbacks, mentor, mentorship, starts_at="2027-10-31T01:30", timezone="Europe/London"
    )

    assert response.status_code == 201
    assert response.json()["starts_at"] == "2027-10-31T01:30:00+01:00"  # still summer time: the first 01:30


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_at": (timezone.now() - dt.timedelta(hours=1)).isoformat()}, "starts_at"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"video_url": "ftp://files.example.org/x"}, "video_url"),
        ({"agenda": "x" * 10001}, "agenda"),
        ({"location": "two\nlines"}, "location"),
    ],
)
def test_bad_meeting_input_is_a_400_on_its_field(mentorship, mentor, django_capture_on_commit_callbacks, body, field):
    response = plan(django_capture_on_commit_callbacks, mentor, mentorship, **body)

    assert response.status_code == 400
    assert field in response.json()
    assert not Meeting.objects.exists()


def test_an_attendee_who_is_not_in_the_mentorship_is_a_400(
    mentorship, mentor, outsider, django_capture_on_commit_callbacks
):
    response = plan(django_capture_on_commit_callbacks, mentor, mentorship, attendees=[mentor.pk, outsider.pk])

    assert response.status_code == 400
    assert "attendees" in response.json()


def test_a_completed_mentorship_takes_no_meeting(mentee, mentor, django_capture_on_commit_callbacks):
    ended = MentorshipFactory(mentee=mentee, mentor=mentor, status="completed", ended_at=timezone.now())

    response = plan(django_capture_on_commit_callbacks, mentor, ended)

    assert response.status_code == 409
    assert response.json()["code"] == "mentorship_ended"


def test_people_outside_the_mentorship_and_its_admins_do_not_learn_of_its_meetings(
    mentorship, mentor, outsider, admin_user, django_capture_on_commit_callbacks
):
    meeting = plan(django_capture_on_commit_callbacks, mentor, mentorship).json()

    for stranger in (outsider, admin_user):
        client = client_for(stranger)
        assert client.get(meetings_url(mentorship)).status_code == 404
        assert client.get(meetings_url(mentorship, meeting)).status_code == 404
        assert client.patch(meetings_url(mentorship, meeting), {"agenda": "x"}, format="json").status_code == 404
        assert client.delete(meetings_url(mentorship, meeting)).status_code == 404
    assert client_for(mentor).get(meetings_url(mentorship)).json()["results"][0]["id"] == meeting["id"]


def test_a_change_raises_the_sequence_and_a_cancel_keeps_the_row(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    meeting = plan(capture, mentor, mentorship).json()

    moved = call(capture, mentee, "patch", meetings_url(mentorship, meeting), {"duration_minutes": 60})
    cancelled = call(capture, mentee, "delete", meetings_url(mentorship, meeting))
    again = call(capture, mentor, "patch", meetings_url(mentorship, meeting), {"agenda": "Too late"})

    assert moved.status_code == 200
    assert moved.json()["sequence"] == 1
    assert moved.json()["duration_minutes"] == 60
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["sequence"] == 2
    assert cancelled.json()["can_edit"] is False
    assert again.status_code == 409
    assert again.json()["code"] == "not_planned"
    assert Meeting.objects.get().status == "cancelled"


def test_rescheduling_into_the_past_is_refused(mentorship, mentor, django_capture_on_commit_callbacks):
    meeting = plan(django_capture_on_commit_callbacks, mentor, mentorship).json()
    yesterday = (timezone.now() - dt.timedelta(days=1)).isoformat()

    response = call(
        django_capture_on_commit_callbacks, mentor, "patch", meetings_url(mentorship, meeting), {"starts_at": yesterday}
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()
    assert Meeting.objects.get().sequence == 0


def _started(meeting_id: int) -> None:
    Meeting.objects.filter(pk=meeting_id).update(starts_at=timezone.now() - dt.timedelta(minutes=50))


def test_recording_a_meeting_makes_its_session_once(mentorship, mentee, mentor, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    meeting = plan(capture, mentor, mentorship).json()
    url = meetings_url(mentorship, meeting, "record")

    early = call(capture, mentor, "post", url, {"notes": "Not yet"})
    _started(meeting["id"])
    recorded = call(capture, mentor, "post", url, {"notes": "Went through the talk.", "topics": ["talks"]})
    twice = call(capture, mentor, "post", url, {"notes": "Again"})

    assert early.status_code == 409
    assert early.json()["code"] == "meeting_not_started"
    assert recorded.status_code == 201, recorded.data
    assert recorded.json()["meeting"]["status"] == "held"
    session = Session.objects.get()
    assert recorded.json()["meeting"]["session"] == session.pk
    assert session.notes == "Went through the talk."
    assert session.duration_minutes == 45
    assert {a.pk for a in session.attendees.all()} == {mentee.pk, mentor.pk}
    assert twice.status_code == 409
    assert twice.json()["code"] == "already_recorded"
    assert Session.objects.count() == 1


def test_recording_follows_the_rules_of_logging_a_session(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    """A one-on-one's mentee plans, but the mentor logs sessions: the same holds for recording a meeting."""
    meeting = plan(django_capture_on_commit_callbacks, mentee, mentorship).json()
    _started(meeting["id"])

    response = call(django_capture_on_commit_callbacks, mentee, "post", meetings_url(mentorship, meeting, "record"), {})

    assert response.status_code == 403
    assert Meeting.objects.get().status == "planned"


def test_a_circle_plans_for_some_members_and_records_who_came(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    world = circle_world()
    circle, otto, ana, ben = world["circle"], world["mentor"], world["ana"], world["ben"]

    planned = plan(capture, ana, circle, attendees=[otto.pk, ana.pk, ben.pk])
    left = plan(capture, ana, circle, attendees=[world["dan"].pk])  # Dan left the circle
    assert planned.status_code == 201
    assert left.status_code == 400
    assert "attendees" in left.json()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in (otto, ana, ben))
    assert client_for(world["dan"]).get(meetings_url(circle)).status_code == 404

    _started(planned.json()["id"])
    recorded = call(
        capture,
        otto,
        "post",
        meetings_url(circle, planned.json(), "record"),
        {"attendees": [otto.pk, ana.pk], "goals": [world["goals"]["ana_shared"].pk]},
    )

    assert recorded.status_code == 201, recorded.data
    session = Session.objects.get()
    assert {a.pk for a in session.attendees.all()} == {otto.pk, ana.pk}
    assert list(session.goals.all()) == [world["goals"]["ana_shared"]]


def test_either_peer_plans_changes_and_records(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    world = peer_world()
    pair, ivy, jon = world["pair"], world["ivy"], world["jon"]

    meeting = plan(capture, ivy, pair).json()
    moved = call(capture, jon, "patch", meetings_url(pair, meeting), {"location": "The library"})
    _started(meeting["id"])
    recorded = call(capture, jon, "post", meetings_url(pair, meeting, "record"), {"notes": "SQL windows"})

    assert moved.status_code == 200
    assert moved.json()["location"] == "The library"
    assert recorded.status_code == 201
    assert client_for(world["kai"]).get(meetings_url(pair)).status_code == 404


def test_the_list_reads_the_same_number_of_queries_for_one_meeting_or_many(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_for(mentee).get(meetings_url(mentorship)).status_code == 200
        return len(captured)

    plan(django_capture_on_commit_callbacks, mentor, mentorship)
    one = queries()
    for days in range(2, 6):
        plan(
            django_capture_on_commit_callbacks,
            mentor,
            mentorship,
            starts_at=(NEXT_WEEK + dt.timedelta(days=days)).isoformat(),
        )

    assert queries() == one


def test_completing_a_mentorship_cancels_its_planned_meetings_in_everyones_calendar(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    meeting = plan(capture, mentor, mentorship).json()
    mail.outbox.clear()

    done = call(capture, mentee, "post", f"/api/v1/mentorships/{mentorship.pk}/complete/")

    assert done.status_code == 200
    assert Meeting.objects.get(pk=meeting["id"]).status == "cancelled"
    for person in (mentee, mentor):
        ((_mimetype, cancel),) = invitations(to=person.email)
        event = event_of(cancel)
        assert (str(cancel["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])) == ("CANCEL", meeting["uid"], 1)


def test_a_member_who_leaves_a_circle_is_taken_off_its_meetings_which_go_on(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    world = circle_world()
    circle, otto, ana, ben = world["circle"], world["mentor"], world["ana"], world["ben"]
    meeting = plan(capture, otto, circle, attendees=[otto.pk, ana.pk, ben.pk]).json()
    mail.outbox.clear()

    left = call(capture, ben, "post", f"/api/v1/mentorships/{circle.pk}/leave/")

    assert left.status_code == 200
    kept = Meeting.objects.get(pk=meeting["id"])
    assert kept.status == "planned"
    assert {a.pk for a in kept.attendees.all()} == {otto.pk, ana.pk}
    ((_mimetype, cancel),) = invitations(to=ben.email)
    assert str(cancel["METHOD"]) == "CANCEL" and str(event_of(cancel)["UID"]) == meeting["uid"]
    assert invitations(to=ana.email) == []
