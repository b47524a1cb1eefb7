"""Every page each role sees, at phone and desktop widths: it renders, fits the screen, and logs no error."""

import pytest
from playwright.sync_api import expect

from mentorship.models import Goal
from tests.browser.test_sign_in import sign_in
from tests.factories import (
    PASSWORD,
    AdminFactory,
    EmailChangeFactory,
    GoalFactory,
    MatchProposalFactory,
    MatchRoundFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    MilestoneFactory,
    RequestFactory,
    SessionFactory,
    SignUpFactory,
    SkillFactory,
    with_profile,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    mentee = with_profile(MenteeFactory(username="maya", full_name="Maya Mentee"), skills=["Python"], industry="Health")
    mentor = with_profile(MentorFactory(username="otto", full_name="Otto Mentor"), skills=["Python"], industry="Health")
    AdminFactory(username="ada")
    EmailChangeFactory(user=mentee, email="maya.new.address@example.org")  # her profile says where the link went
    mentorship = MentorshipFactory(mentee=mentee, mentor=mentor)
    SessionFactory(mentorship=mentorship)
    MilestoneFactory(goal=GoalFactory(mentee=mentee, title="Ship a pipeline"))
    RequestFactory(mentor=mentor)
    with_profile(MentorFactory(full_name="Pia Python"), skills=["Python"])
    match_round = MatchRoundFactory(
        status="proposed", stats={"matched": 1, "mentees": 1, "mentors": 1, "mean_score": 0.5}
    )
    MatchProposalFactory(round=match_round)
    # A skill Maya suggested: on her profile and goals pages, and in the admin's review.
    suggestion = SkillFactory(name="Quantum gardening", status="suggested", suggested_by=mentee)
    mentee.mentee_profile.skills.add(suggestion)
    Goal.objects.get(mentee=mentee).skills.add(suggestion)
    return {"mentorship": mentorship.pk, "mentor": mentor.pk, "round": match_round.pk}


UNNAMED_CONTROLS = (
    "[...document.querySelectorAll('button, input:not([type=hidden]), select, textarea')]"
    ".filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')"
    " && !(el.tagName === 'BUTTON' && el.textContent.trim())).map(el => el.outerHTML)"
)

PAGES = {
    "maya": ["/home/", "/mentors/", "/mentors/{mentor}/", "/requests/", "/mentorships/", "/mentorships/{mentorship}/",
             "/goals/", "/profile/"],
    "otto": ["/home/", "/requests/", "/mentorships/{mentorship}/", "/profile/"],
    "ada": ["/home/", "/mentors/", "/rounds/", "/rounds/{round}/", "/import/", "/reports/", "/taxonomy/"],
}  # fmt: skip


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("username", list(PAGES))
def test_every_page_renders_fits_and_logs_no_error(browser, live_server, world, username, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, username, PASSWORD)

    for url in PAGES[username]:
        response = page.goto(url.format(**world))
        assert response.status == 200, url
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} scrolls sideways at {width}px"
        unnamed = page.evaluate(UNNAMED_CONTROLS)
        assert unnamed == [], f"{url}: controls without a name: {unnamed}"
    context.close()
    assert errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_sign_up_and_emailed_link_pages_render_fit_and_log_no_error(browser, live_server, width):
    SignUpFactory(email="nia@example.org", username="nia", full_name="Nia Newcomer", token="a-valid-token")
    EmailChangeFactory(email="a.rather.long.new.address@example.org", token="a-valid-token")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    for url in ["/signup/", "/signup/sent/#nia%40example.org", "/signup/confirm/a-valid-token/",
                "/signup/confirm/not-a-token/", "/account/email/confirm/a-valid-token/",
                "/account/email/confirm/not-a-token/"]:  # fmt: skip
        response = page.goto(url)
        assert response.status == 200, url
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} scrolls sideways at {width}px"
        unnamed = page.evaluate(UNNAMED_CONTROLS)
        assert unnamed == [], f"{url}: controls without a name: {unnamed}"
    context.close()
    assert errors == []
