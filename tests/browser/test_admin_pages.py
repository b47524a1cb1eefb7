import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matching.models import MatchProposal, MatchRound
from matching.rounds import round_create
from matching.runner import round_run
from mentorship.models import MentorshipRequest
from programs.models import Membership
from tests.browser.test_sign_in import sign_in
from tests.factories import (
    PASSWORD,
    AdminFactory,
    MatchRoundFactory,
    MenteeFactory,
    MentorFactory,
    default_program,
    with_profile,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def program():
    AdminFactory(username="ada", full_name="Ada Admin")
    for name, skills in (("Amy Python", ["Python"]), ("Bo Leader", ["Leadership"])):
        with_profile(MenteeFactory(full_name=name), skills=skills)
    with_profile(MentorFactory(full_name="Pia Python"), skills=["Python"], capacity=1)
    with_profile(MentorFactory(full_name="Lou Leader"), skills=["Leadership"], capacity=1)
    return with_profile(MentorFactory(full_name="Sam Spare"), skills=["Python", "Leadership"], capacity=2)


def test_an_admin_runs_a_round_overrides_a_proposal_and_publishes(page, program):
    sign_in(page, "ada", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Match rounds").click()

    page.get_by_role("group", name=re.compile("^Weights")).get_by_label("Skills").fill("0")
    page.get_by_role("group", name=re.compile("^Weights")).get_by_label("Industry").fill("0")
    page.get_by_role("group", name=re.compile("^Weights")).get_by_label("Goals").fill("0")
    page.get_by_label("Name").fill("Spring cohort")
    page.get_by_role("button", name="Run match round").click()
    expect(page.locator('[data-error-for="weights"]')).to_contain_text("At least one weight must be above zero.")

    page.get_by_role("group", name=re.compile("^Weights")).get_by_label("Skills").fill("1")
    page.get_by_role("button", name="Run match round").click()
    expect(page).to_have_url(re.compile(r"/rounds/\d+/$"))
    expect(page.get_by_role("heading", name="Spring cohort")).to_be_visible()
    cards = page.locator(".proposal")
    expect(cards).to_have_count(2)

    amy = cards.filter(has_text="Amy Python with")
    amy.locator("summary").click()
    amy.get_by_label("Another mentor for Amy Python").fill("Sam")
    page.get_by_role("option", name=re.compile("^Sam Spare")).click()
    amy.get_by_role("button", name="Save").click()
    amy = page.locator(".proposal").filter(has_text="Amy Python with")
    expect(amy.get_by_role("heading")).to_have_text("Amy Python with Sam Spare")
    expect(amy).to_contain_text("the matcher proposed Pia Python")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".lead .badge")).to_have_text("Published")
    offers = MentorshipRequest.objects.filter(origin="match_round")
    assert offers.count() == 2
    assert offers.filter(mentor=program, mentee__full_name="Amy Python").exists()
    assert page.console_errors == []


def test_an_admin_runs_a_round_too_old_to_publish_again_and_publishes_the_new_one(page, program):
    old = round_create(program=default_program(), name="Spring", created_by=None, enqueue=False)
    round_run(round_id=old.pk)
    MatchRound.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=20))
    sign_in(page, "ada", PASSWORD)

    page.goto(f"/rounds/{old.pk}/")
    expect(page.get_by_text("it can no longer be published")).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    page.get_by_role("button", name="Run again with the same settings").click()

    expect(page.get_by_role("heading", name="Spring (again)")).to_be_visible()
    expect(page.locator(".proposal")).to_have_count(2)
    Membership.objects.filter(user__full_name="Bo Leader", role="mentee").update(status="left")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("1 published; 1 skipped: 1 mentee left the program.")).to_be_visible()
    expect(page.locator(".proposal").filter(has_text="Bo Leader")).to_contain_text("Not published")
    assert MentorshipRequest.objects.filter(origin="match_round").count() == 1
    assert page.console_errors == []


def test_the_round_page_follows_a_running_round_until_its_proposals_are_ready(page, program):
    match_round = MatchRoundFactory(name="Big round", status="running", progress=0.4)
    sign_in(page, "ada", PASSWORD)

    page.goto(f"/rounds/{match_round.pk}/")
    bar = page.get_by_role("progressbar", name="Progress of Big round")
    expect(bar).to_have_attribute("value", "40")

    MatchRound.objects.filter(pk=match_round.pk).update(progress=0.7)
    expect(bar).to_have_attribute("value", "70")
    MatchRound.objects.filter(pk=match_round.pk).update(
        status="proposed", progress=1.0, stats={"matched": 0, "mentees": 2, "mentors": 3, "mean_score": 0}
    )
    expect(page.get_by_role("heading", name="Proposals")).to_be_visible()
    assert not MatchProposal.objects.exists()


def test_match_rounds_are_not_open_to_mentees(page, program):
    MenteeFactory(username="maya")
    sign_in(page, "maya", PASSWORD)

    response = page.goto("/rounds/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="This is not open to your account")).to_be_visible()
    expect(page.get_by_role("link", name="Match rounds")).to_have_count(0)
