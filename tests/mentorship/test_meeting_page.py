"""The mentorship page's meetings, as the server renders them: in the viewer's zone, to the people in it only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from mentorship.meetings import web_link
from mentorship.models import Meeting
from tests.mentorship.meetings import set_zone

pytestmark = pytest.mark.django_db


def _page(user, mentorship) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/mentorships/{mentorship.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def meeting(mentorship, mentor):
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        organiser=mentor,
        starts_at=dt.datetime(2027, 4, 1, 9, 0, tzinfo=dt.UTC),
        timezone="Europe/London",
        duration_minutes=30,
        video_url="https://meet.example.org/abc",
        agenda="<b>Bold</b> plans",
    )
    meeting.attendees.set(mentorship.people())
    return meeting


def test_each_person_reads_the_meeting_in_their_own_zone(mentorship, mentee, mentor, meeting):
    set_zone(mentee, "America/New_York")
    set_zone(mentor, "Asia/Tokyo")

    assert "Thursday 1 April 2027, 05:00–05:30" in _page(mentee, mentorship)
    assert "Times in your time zone, America/New_York." in _page(mentee, mentorship)
    assert "Thursday 1 April 2027, 18:00–18:30" in _page(mentor, mentorship)


def test_the_agenda_is_text_and_only_a_web_link_is_clickable(mentorship, mentee, meeting):
    page = _page(mentee, mentorship)
    assert "&lt;b&gt;Bold&lt;/b&gt; plans" in page
    assert 'href="https://meet.example.org/abc"' in page


def test_a_link_that_is_not_a_web_link_is_refused_by_the_database_and_never_made_clickable(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(video_url="javascript:alert(1)")

    assert web_link("javascript:alert(1)") == ""
    assert web_link("HTTPS://meet.example.org/x") == "HTTPS://meet.example.org/x"


def test_people_outside_it_see_no_meeting(mentorship, admin_user, meeting):
    page = _page(admin_user, mentorship)

    assert "Upcoming meetings" not in page
    assert "meet.example.org" not in page


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/home/")
    assert response.status_code == 200
    return response.content.decode()


def test_home_lists_each_persons_next_meetings_in_their_own_zone(mentorship, mentee, mentor, meeting):
    set_zone(mentee, "America/New_York")
    set_zone(mentor, "Asia/Tokyo")
    meeting.starts_at = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=400)
    meeting.save(update_fields=["starts_at"])
    local = meeting.starts_at.astimezone(ZoneInfo("America/New_York"))

    home = _home(mentee)

    assert "Your next meetings" in home
    assert f"{local:%A} {local.day} {local:%B %Y, %H:%M}" in home
    assert f"#meeting-{meeting.pk}" in home
    assert f"#meeting-{meeting.pk}" in _home(mentor)


@pytest.mark.parametrize("change", ["past", "cancelled", "ended"])
def test_home_leaves_out_past_cancelled_and_ended_meetings(mentorship, mentee, meeting, change):
    assert "Your next meetings" in _home(mentee)
    if change == "past":
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    elif change == "cancelled":
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    else:
        type(mentorship).objects.filter(pk=mentorship.pk).update(status="completed", ended_at=dt.datetime.now(dt.UTC))

    assert "Your next meetings" not in _home(mentee)
