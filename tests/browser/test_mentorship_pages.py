import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import Feedback, Mentorship, Session
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, GoalFactory, MenteeFactory, MentorFactory, MentorshipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pair():
    mentee = MenteeFactory(username="maya", full_name="Maya Mentee")
    mentor = MentorFactory(username="otto", full_name="Otto Mentor")
    goal = GoalFactory(mentee=mentee, title="Give a conference talk")
    return MentorshipFactory(mentee=mentee, mentor=mentor), goal


def test_the_mentor_logs_a_session_and_the_mentee_rates_it_then_completes(page, pair):
    mentorship, goal = pair
    sign_in(page, "otto", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentorships").click()
    page.get_by_role("link", name="Maya Mentee").click()

    page.locator("summary", has_text="Log a session").click()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Date").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Save session").click()
    expect(page.locator('[data-error-for="date"]')).to_have_text("A session cannot be logged for a date in the future.")

    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Duration (minutes)").fill("50")
    page.get_by_label("Notes").fill("Outlined the talk together.")
    page.get_by_label("Topics").fill("storytelling, slides")
    page.get_by_role("checkbox", name="Give a conference talk").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Outlined the talk together.")).to_be_visible()
    session = Session.objects.get(mentorship=mentorship)
    assert (session.duration_minutes, session.topics) == (50, ["storytelling", "slides"])
    assert list(session.goals.all()) == [goal]
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "maya", PASSWORD)
    page.goto(f"/mentorships/{mentorship.pk}/")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator('[data-error-for="rating"]')).to_have_text("This field is required.")
    page.get_by_label("Rating").select_option("5")
    page.get_by_label("Comment", exact=True).fill("Clear and kind.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Clear and kind.")).to_be_visible()
    assert Feedback.objects.get(session=session).rating == 5

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Complete mentorship").click()
    expect(page.get_by_text("ended")).to_be_visible()
    assert Mentorship.objects.get(pk=mentorship.pk).status == "completed"
    assert page.console_errors == []


def test_someone_elses_mentorship_page_is_a_friendly_404(page, pair):
    mentorship, _ = pair
    MenteeFactory(username="oscar")

    sign_in(page, "oscar", PASSWORD)
    response = page.goto(f"/mentorships/{mentorship.pk}/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
