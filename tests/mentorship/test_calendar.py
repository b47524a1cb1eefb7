"""The invitations and the feed, parsed back with icalendar: UID, SEQUENCE, METHOD and DTSTART with its zone across
plan → change → cancel, for attendees in two zones and across a change of the clocks; the feed's secret."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from icalendar import Calendar

from tests.conftest import client_for
from tests.mentorship.meetings import call, event_of, invitations, meetings_url, set_zone

pytestmark = pytest.mark.django_db

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")


def _attendee_addresses(event) -> set[str]:
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    return {str(a).removeprefix("mailto:") for a in attendees}


def test_plan_change_cancel_sends_one_event_in_the_organisers_zone_to_both_zones(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    """Otto plans in London for a date after the clocks go forward; Maya lives in New York. Both get the same
    event (same UID) written in London's zone, whose SEQUENCE rises with each change, and a CANCEL at the end."""
    capture = django_capture_on_commit_callbacks
    set_zone(mentor, "Europe/London")
    set_zone(mentee, "America/New_York")

    planned = call(
        capture,
        mentor,
        "post",
        meetings_url(mentorship),
        {"starts_at": "2027-04-01T10:00", "duration_minutes": 60, "agenda": "Your talk", "location": "Room 4"},
    )
    assert planned.status_code == 201, planned.data
    assert planned.json()["starts_at"] == "2027-04-01T10:00:00+01:00"  # BST, though planned in winter
    meeting = planned.json()
    moved = call(capture, mentee, "patch", meetings_url(mentorship, meeting), {"starts_at": "2027-04-02T16:30:00Z"})
    assert moved.status_code == 200
    cancelled = call(capture, mentee, "delete", meetings_url(mentorship, meeting))
    assert cancelled.status_code == 200

    for person, zone in ((mentor, LONDON), (mentee, NEW_YORK)):
        sent = invitations(to=person.email)
        assert [mimetype for mimetype, _ in sent] == [
            "text/calendar; method=REQUEST",
            "text/calendar; method=REQUEST",
            "text/calendar; method=CANCEL",
        ]
        methods = [str(calendar["METHOD"]) for _, calendar in sent]
        assert methods == ["REQUEST", "REQUEST", "CANCEL"]
        events = [event_of(calendar) for _, calendar in sent]
        assert {str(e["UID"]) for e in events} == {meeting["uid"]}
        assert [e.decoded("SEQUENCE") for e in events] == [0, 1, 2]
        assert all(e["DTSTART"].params["TZID"] == "Europe/London" for e in events)
        assert events[0].decoded("DTSTART") == dt.datetime(2027, 4, 1, 10, 0, tzinfo=LONDON)
        assert events[0].decoded("DTEND") == dt.datetime(2027, 4, 1, 11, 0, tzinfo=LONDON)
        assert events[1].decoded("DTSTART") == dt.datetime(2027, 4, 2, 17, 30, tzinfo=LONDON)
        assert str(events[2]["STATUS"]) == "CANCELLED"
        assert all(_attendee_addresses(e) == {mentor.email, mentee.email} for e in events)
        assert str(events[0]["ORGANIZER"]) == f"mailto:{mentor.email}"
        assert "Your talk" in str(events[0]["DESCRIPTION"])
        assert f"/mentorships/{mentorship.pk}/" in str(events[0]["DESCRIPTION"])
        assert str(events[0]["LOCATION"]) == "Room 4"
        for _, calendar in sent:  # the zone the events name is defined in the calendar itself
            assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
        # Each person's email gives the time in their own zone.
        first = next(m for m in mail.outbox if m.to == [person.email])
        local = dt.datetime(2027, 4, 1, 9, 0, tzinfo=dt.UTC).astimezone(zone)
        assert f"{local:%H:%M}" in first.subject
        assert zone.key in first.body


def test_the_invitation_asks_the_others_to_answer(mentorship, mentee, mentor, django_capture_on_commit_callbacks):
    call(
        django_capture_on_commit_callbacks,
        mentor,
        "post",
        meetings_url(mentorship),
        {"starts_at": "2027-05-03T09:00:00+02:00", "duration_minutes": 30, "video_url": "https://meet.example.org/x"},
    )

    event = event_of(invitations(to=mentee.email)[0][1])
    by_address = {str(a).removeprefix("mailto:"): a.params for a in event["ATTENDEE"]}
    assert by_address[mentee.email]["PARTSTAT"] == "NEEDS-ACTION"
    assert by_address[mentee.email]["RSVP"] == "TRUE"
    assert by_address[mentee.email]["CN"] == mentee.full_name
    assert by_address[mentor.email]["PARTSTAT"] == "ACCEPTED"
    assert str(event["URL"]) == "https://meet.example.org/x"


def test_someone_taken_off_a_meeting_gets_its_cancellation(django_capture_on_commit_callbacks):
    from tests.formats import circle_world

    capture = django_capture_on_commit_callbacks
    world = circle_world()
    circle, otto, ana, ben = world["circle"], world["mentor"], world["ana"], world["ben"]
    body = {"starts_at": "2027-06-01T18:00:00+00:00", "duration_minutes": 90, "attendees": [otto.pk, ana.pk, ben.pk]}
    meeting = call(capture, otto, "post", meetings_url(circle), body).json()

    call(capture, otto, "patch", meetings_url(circle, meeting), {"attendees": [otto.pk, ana.pk]})

    assert [str(c["METHOD"]) for _, c in invitations(to=ben.email)] == ["REQUEST", "CANCEL"]
    assert [str(c["METHOD"]) for _, c in invitations(to=ana.email)] == ["REQUEST", "REQUEST"]
    assert _attendee_addresses(event_of(invitations(to=ana.email)[1][1])) == {otto.email, ana.email}


def _feed(client, url: str):
    return client.get(url.removeprefix(settings.SITE_URL))


def test_the_feed_lists_a_persons_meetings_and_a_reset_secret_is_a_404(
    mentorship, mentee, mentor, anon, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    set_zone(mentor, "America/New_York")
    first = call(
        capture, mentor, "post", meetings_url(mentorship), {"starts_at": "2027-03-10T09:00", "duration_minutes": 30}
    )
    second = call(
        capture, mentor, "post", meetings_url(mentorship), {"starts_at": "2027-03-20T09:00", "duration_minutes": 30}
    )
    call(capture, mentee, "delete", meetings_url(mentorship, second.json()))
    url = client_for(mentee).get("/api/v1/me/").json()["calendar_url"]
    assert url.startswith(settings.SITE_URL + "/api/v1/calendar/")

    response = _feed(anon, url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {first.json()["uid"], second.json()["uid"]}
    march_10 = events[first.json()["uid"]]
    assert march_10["DTSTART"].params["TZID"] == "America/New_York"
    # 9:00 in New York: after its clocks changed (14 March 2027), before London's (28 March).
    assert march_10.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2027, 3, 10, 14, 0, tzinfo=dt.UTC)
    assert str(events[second.json()["uid"]]["STATUS"]) == "CANCELLED"
    assert events[second.json()["uid"]].decoded("SEQUENCE") == 1

    reset = client_for(mentee).post("/api/v1/me/calendar/reset/")

    assert reset.status_code == 200
    assert reset.json()["calendar_url"] != url
    assert _feed(anon, url).status_code == 404
    assert _feed(anon, reset.json()["calendar_url"]).status_code == 200
    assert client_for(mentee).get("/api/v1/me/").json()["calendar_url"] == reset.json()["calendar_url"]


@pytest.mark.parametrize("secret", ["nope", "x" * 43, "a%00" * 10, "." * 30])
def test_a_wrong_feed_secret_is_a_404(mentee, anon, secret):
    assert anon.get(f"/api/v1/calendar/{secret}.ics").status_code == 404


def test_the_feed_leaves_out_other_peoples_meetings(
    mentorship, mentee, mentor, outsider_mentor, anon, django_capture_on_commit_callbacks
):
    from tests.factories import MentorshipFactory

    other = MentorshipFactory(mentor=outsider_mentor)
    call(
        django_capture_on_commit_callbacks,
        outsider_mentor,
        "post",
        meetings_url(other),
        {"starts_at": "2027-03-10T09:00:00Z", "duration_minutes": 30},
    )

    response = _feed(anon, client_for(mentee).get("/api/v1/me/").json()["calendar_url"])

    assert Calendar.from_ical(response.content).walk("VEVENT") == []
