"""Planning a meeting in real Chromium, in a one-on-one, a circle and a peer pair, at phone and desktop widths: one
person plans it in London (a time the clocks skip is refused on the field), another sees it in New York's time and
moves it, and once it has started the one who logs sessions records what happened."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import Meeting, Session
from tests.browser.conftest import axe_violations
from tests.factories import MenteeFactory, MentorFactory, MentorshipFactory
from tests.formats import circle_world, peer_world
from tests.mentorship.meetings import set_zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def one_on_one():
    maya = MenteeFactory(username="maya", full_name="Maya Mentee")
    otto = MentorFactory(username="otto", full_name="Otto Mentor")
    return MentorshipFactory(mentee=maya, mentor=otto), "maya", "otto", "otto"


def circle():
    return circle_world()["circle"], "ana", "ben", "otto"


def pair():
    return peer_world()["pair"], "ivy", "jon", "jon"


def _looks_right(page, width: int) -> None:
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("make", [one_on_one, circle, pair], ids=["one-on-one", "circle", "peer-pair"])
def test_plan_see_reschedule_and_record_a_meeting(person_at, width, make):
    mentorship, planner_name, other_name, recorder_name = make()
    people = {p.username: p for p in mentorship.people()}
    set_zone(people[planner_name], "Europe/London")
    set_zone(people[other_name], "America/New_York")
    url = f"/mentorships/{mentorship.pk}/"

    planner = person_at(planner_name, width)
    planner.goto(url)
    planner.locator("summary", has_text="Plan a meeting").click()
    form = planner.locator("details.plan-meeting form")
    form.get_by_label("Starts at (Europe/London)").fill("2027-03-28T01:30")
    form.get_by_role("button", name="Plan and invite").click()
    expect(form.locator('[data-error-for="starts_at"]')).to_contain_text("does not exist in Europe/London")
    expect(form.get_by_label("Starts at (Europe/London)")).to_be_focused()
    form.get_by_label("Starts at (Europe/London)").fill("2027-04-01T10:00")
    form.get_by_label("Place").fill("Room 4")
    form.get_by_label("Video call link").fill("https://meet.example.org/abc")
    form.get_by_label("Agenda").fill("Review the plan")
    form.get_by_role("button", name="Plan and invite").click()
    expect(planner.get_by_role("heading", name="Thursday 1 April 2027, 10:00–10:45")).to_be_focused()
    meeting = Meeting.objects.get(mentorship=mentorship)
    card = planner.locator(f"li:has(#meeting-{meeting.pk})")
    expect(card.get_by_role("link", name="Join the video call")).to_have_attribute(
        "href", "https://meet.example.org/abc"
    )
    expect(card.get_by_role("paragraph").filter(has_text="Review the plan")).to_be_visible()
    _looks_right(planner, width)

    other = person_at(other_name, width)
    other.goto(url)
    expect(other.get_by_text("Times in your time zone, America/New_York.")).to_be_visible()
    card = other.locator(f"li:has(#meeting-{meeting.pk})")
    expect(card.get_by_role("heading", name="Thursday 1 April 2027, 05:00–05:45")).to_be_visible()
    card.locator("summary", has_text="Reschedule or change").click()
    card.get_by_label("Starts at (America/New_York)").fill("2027-04-02T06:00")
    card.get_by_label("Length (minutes)").fill("60")
    card.get_by_role("button", name="Save and re-send").click()
    expect(other.get_by_role("heading", name="Friday 2 April 2027, 06:00–07:00")).to_be_focused()
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.timezone) == (1, "America/New_York")
    assert meeting.starts_at == dt.datetime(2027, 4, 2, 10, 0, tzinfo=dt.UTC)
    _looks_right(other, width)

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    recorder = other if recorder_name == other_name else person_at(recorder_name, width)
    recorder.goto(url)
    card = recorder.locator(f"li:has(#meeting-{meeting.pk})")
    card.locator("summary", has_text="Record what happened").click()
    card.get_by_label("Notes").fill("Went through the plan.")
    card.get_by_label("Topics").fill("planning, hiring")
    _looks_right(recorder, width)
    card.get_by_role("button", name="Save as a session").click()
    expect(recorder.get_by_text("Went through the plan.")).to_be_visible()
    expect(recorder.get_by_text("No meeting planned.")).to_be_visible()
    session = Session.objects.get(mentorship=mentorship)
    assert session.topics == ["planning", "hiring"]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.session_id) == ("held", session.pk)
