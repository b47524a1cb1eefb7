"""Two-way feedback and pairs at risk in real Chromium, at phone and desktop widths: the mentor rates a session (a
comment kept between them and the admins) and the mentee's progress on the goal it worked on, which the mentee then
reads; a program admin finds a quiet pair from the program's page and nudges it, once a week."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import Feedback, Nudge, ProgressRating
from tests.browser.test_format_pages import _looks_right
from tests.factories import AdminFactory, GoalFactory, MenteeFactory, MentorFactory, MentorshipFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_mentor_rates_a_session_and_the_progress_on_its_goal_and_the_mentee_reads_it(person_at, tmp_path, width):
    maya = MenteeFactory(username="maya", full_name="Maya Mentee")
    otto = MentorFactory(username="otto", full_name="Otto Mentor")
    AdminFactory(username="ada", full_name="Ada Admin")
    mentorship = MentorshipFactory(mentee=maya, mentor=otto)
    goal = GoalFactory(mentee=maya, title="Give a conference talk")
    session = SessionFactory(mentorship=mentorship, notes="Outlined the talk.")
    session.goals.set([goal])

    mentor = person_at("otto", width)
    mentor.goto(f"/mentorships/{mentorship.pk}/")
    mentor.get_by_role("button", name="Rate progress on “Give a conference talk”").click()
    expect(mentor.locator('[data-error-for="rating"]').first).to_have_text("This field is required.")
    mentor.get_by_label("Progress on “Give a conference talk”").select_option("4")
    mentor.get_by_label("Note on progress").fill("The outline is solid.")
    mentor.get_by_role("button", name="Rate progress on “Give a conference talk”").click()
    expect(
        mentor.get_by_text("You rated progress on “Give a conference talk”: 4/5 — “The outline is solid.”")
    ).to_be_visible()
    mentor.get_by_label("Rating", exact=True).select_option("3")
    mentor.get_by_label("Comment", exact=True).fill("Maya seemed tired.")
    expect(mentor.get_by_role("checkbox", name="Share my comment with Maya")).not_to_be_checked()
    mentor.get_by_role("button", name="Send feedback").click()
    expect(mentor.get_by_text("(only you and the program’s admins read your comment)")).to_be_visible()
    _looks_right(mentor, width, tmp_path, "mentor-rated")
    assert Feedback.objects.get(author=otto).shared is False
    assert ProgressRating.objects.get().rating == 4

    mentee = person_at("maya", width)
    mentee.goto(f"/mentorships/{mentorship.pk}/")
    expect(mentee.get_by_text("Otto rated your progress on “Give a conference talk”: 4/5")).to_be_visible()
    expect(mentee.get_by_text("Otto rated it 3/5")).to_be_visible()
    expect(mentee.get_by_text("Maya seemed tired.")).to_have_count(0)
    mentee.get_by_label("Rating", exact=True).select_option("5")
    mentee.get_by_label("Comment", exact=True).fill("Clear and kind.")
    mentee.get_by_role("checkbox", name="Share my comment with Otto").check()
    mentee.get_by_role("button", name="Send feedback").click()
    expect(mentee.get_by_text("You rated it 5/5 — “Clear and kind.”")).to_be_visible()
    _looks_right(mentee, width, tmp_path, "mentee-rated")

    mentor.reload()
    expect(mentor.get_by_text("Maya rated it 5/5 — “Clear and kind.”")).to_be_visible()
    admin = person_at("ada", width)
    admin.goto(f"/mentorships/{mentorship.pk}/")
    expect(admin.get_by_text("Otto rated it 3/5 — “Maya seemed tired.”")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_program_admin_finds_a_quiet_pair_and_nudges_it_once_a_week(person_at, tmp_path, width):
    AdminFactory(username="ada", full_name="Ada Admin")
    quiet = MentorshipFactory(
        mentee=MenteeFactory(username="uma", full_name="Uma Quiet"),
        mentor=MentorFactory(username="vic", full_name="Vic Quiet"),
        started_at=timezone.now() - dt.timedelta(days=60),
    )
    MentorshipFactory(
        mentee=MenteeFactory(username="wes"),
        mentor=MentorFactory(username="xia"),
        started_at=timezone.now() - dt.timedelta(days=3),  # too early to worry
    )

    admin = person_at("ada", width)
    admin.goto("/programs/main/")
    admin.get_by_role("link", name="Pairs at risk").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Pairs at risk")
    row = admin.get_by_role("row", name="Vic Quiet and Uma Quiet")
    expect(row).to_contain_text("No session for 60 days since it started")
    expect(admin.get_by_role("row")).to_have_count(2)  # the heading's and the quiet pair's
    _looks_right(admin, width, tmp_path, "at-risk")

    row.get_by_role("button", name="Nudge Vic Quiet and Uma Quiet").click()
    expect(admin.get_by_text("Nudged: everyone in it was told.")).to_be_visible()
    assert Nudge.objects.get().mentorship_id == quiet.pk
    row = admin.get_by_role("row", name="Vic Quiet and Uma Quiet")
    expect(row).to_contain_text("Nudged")
    row.get_by_role("button", name="Nudge Vic Quiet and Uma Quiet").click()
    expect(row.get_by_role("alert")).to_contain_text("nudge it again from")
    _looks_right(admin, width, tmp_path, "at-risk-nudged")
    assert Nudge.objects.count() == 1

    admin.get_by_role("link", name="Vic Quiet and Uma Quiet").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Vic Quiet and Uma Quiet")
