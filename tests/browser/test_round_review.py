"""A program admin reviews a proposed round in Chromium, on a phone and a desktop: finds another mentor by name
among those with room once the round's own proposals are counted, sees the new pair before saving, confirms a
poor one, stays where they were, and reads who is left without a proposal and why."""

import re

import pytest
from playwright.sync_api import expect

from matching.models import MatchProposal, MatchRound
from matching.rounds import round_create
from matching.runner import round_run
from tests.browser.conftest import ConsoleErrors, axe_violations, serve_axe_core
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, AdminFactory, MenteeFactory, MentorFactory, default_program, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


@pytest.fixture
def proposed_round() -> MatchRound:
    """Amy, Bo, Cy and Eve each get a mentor; Dee, who wants to learn gardening, gets none. Pia's one slot is Amy's
    and Lou's Bo's; Kim, Sam and Zed (who teaches knitting, which nobody wants) keep room."""
    admin = AdminFactory(username="ada", full_name="Ada Admin")
    person(MenteeFactory, "amy", skills=["Python", "SQL"], industry="Healthcare")
    person(MenteeFactory, "bo", skills=["Leadership"], industry="Retail")
    person(MenteeFactory, "cy", skills=["Python"], industry="Retail")
    person(MenteeFactory, "eve", skills=["Python"], industry="Healthcare")
    person(MenteeFactory, "dee", skills=["Gardening"], industry="Farming")
    person(MentorFactory, "pia", skills=["Python", "SQL"], industry="Healthcare", capacity=1)
    person(MentorFactory, "lou", skills=["Leadership"], industry="Retail", capacity=1)
    person(MentorFactory, "sam", skills=["Python", "Leadership"], industry="Technology", capacity=2)
    person(MentorFactory, "kim", skills=["Leadership", "Python"], industry="Retail", capacity=3)
    person(MentorFactory, "zed", skills=["Knitting"], industry="Textiles", capacity=1)
    match_round = round_create(program=default_program(), name="Spring", created_by=admin, enqueue=False)
    round_run(round_id=match_round.pk)
    pairs = dict(MatchProposal.objects.values_list("mentee__username", "mentor__username"))
    assert pairs["amy"] == "pia" and pairs["bo"] == "lou" and "dee" not in pairs
    return match_round


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def admin_page(request, browser, live_server, axe_core, proposed_round):
    context = browser.new_context(base_url=live_server.url, viewport={"width": request.param, "height": 800})
    serve_axe_core(context)
    page = context.new_page()
    page.console_errors = ConsoleErrors()
    page.on("console", page.console_errors.record)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    sign_in(page, "ada", PASSWORD)
    expect(page).to_have_url(re.compile(r"/home/$"))
    yield page
    context.close()


def card_of(page, mentee: str):
    return page.locator(".proposal").filter(has=page.get_by_role("heading", name=re.compile(f"^{mentee} with")))


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_admin_finds_a_mentor_with_room_by_name_and_sees_the_pair_before_saving(admin_page, proposed_round):
    page = admin_page
    page.goto(f"/rounds/{proposed_round.pk}/")
    names = page.locator(".proposal-names").all_inner_texts()
    amy = card_of(page, "Amy")

    amy.locator("summary").click()
    search = amy.get_by_role("combobox", name="Another mentor for Amy")
    expect(search).to_be_focused()
    expect(page.get_by_role("option")).to_have_count(3)  # Kim, Sam, Zed: the mentors with room, best first
    search.fill("Lou")  # a slot open today, taken by Bo's proposal in this round
    expect(amy.get_by_role("status")).to_have_text(
        "No mentor named “Lou” has room once this round's proposals are counted."
    )
    search.fill("ki")
    option = page.get_by_role("option", name=re.compile("^Kim"))
    expect(option).to_contain_text("2 slots left after this round")
    save = amy.get_by_role("button", name="Save")
    expect(save).to_be_disabled()
    option.click()

    preview = amy.locator("[data-preview]")
    expect(preview).to_contain_text("Kim: 20% (now 60% with Pia)")
    expect(preview).to_contain_text("Skills: Python")
    expect(amy.get_by_label("Propose this pair anyway")).to_be_hidden()
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    save.click()

    amy = card_of(page, "Amy")
    expect(amy.get_by_role("heading")).to_have_text("Amy with Kim")
    expect(amy).to_contain_text("the matcher proposed Pia")
    expect(amy).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/rounds/{proposed_round.pk}/$"))
    assert page.locator(".proposal-names").all_inner_texts() == [
        n.replace("Amy with Pia", "Amy with Kim") for n in names
    ]
    assert MatchProposal.objects.get(round=proposed_round, mentee__username="amy").mentor.username == "kim"
    assert page.console_errors == []


def test_a_pair_with_nothing_in_common_is_saved_only_once_confirmed_with_the_keyboard(admin_page, proposed_round):
    page = admin_page
    page.goto(f"/rounds/{proposed_round.pk}/")
    bo = card_of(page, "Bo")

    bo.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(bo.get_by_role("combobox")).to_be_focused()
    page.keyboard.type("Zed")
    expect(page.get_by_role("option")).to_have_count(1)
    expect(page.get_by_role("option", name=re.compile("^Zed"))).to_contain_text("0%")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(bo.locator("[data-preview]")).to_contain_text("They have nothing in common")
    save = bo.get_by_role("button", name="Save")
    expect(save).to_be_disabled()
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    expect(bo.get_by_label("Propose this pair anyway")).to_be_focused()
    page.keyboard.press("Space")
    expect(save).to_be_enabled()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(card_of(page, "Bo").get_by_role("heading")).to_have_text("Bo with Zed")
    assert MatchProposal.objects.get(round=proposed_round, mentee__username="bo").score == 0
    assert page.console_errors == []


def test_the_mentees_left_without_a_proposal_are_listed_with_why(admin_page, proposed_round):
    page = admin_page
    page.goto(f"/rounds/{proposed_round.pk}/")

    section = page.get_by_role("region", name=re.compile("^Left without a proposal"))
    expect(section.get_by_role("heading")).to_have_text("Left without a proposal (1)")
    row = section.get_by_role("row", name=re.compile("^Dee"))
    expect(row).to_contain_text("They share no skill, industry or goal word with any mentor with room.")
    figures = page.get_by_role("region", name="Results")
    expect(figures).to_contain_text("Pairs who would both rather be with each other than with their proposal")
    expect(figures).not_to_contain_text("swap")
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_round_form_sends_the_rules_and_shows_what_it_refuses(admin_page, proposed_round):
    page = admin_page
    page.goto("/rounds/")
    page.get_by_label("Name").fill("Autumn")
    page.get_by_label("Stable pairs").check()
    page.get_by_label("Same industry only").check()
    page.get_by_label("Largest time-zone gap, in hours").fill("3")
    page.get_by_label("Minimum score, from 0 to 1").fill("1.5")
    page.get_by_label("Candidate mentors per mentee").fill("10")

    page.get_by_role("button", name="Run match round").click()
    expect(page.locator('[data-error-for="min_score"]')).to_contain_text("less than or equal to 1")
    expect(page.get_by_label("Minimum score, from 0 to 1")).to_be_focused()
    page.get_by_label("Minimum score, from 0 to 1").fill("0.3")
    page.get_by_role("button", name="Run match round").click()

    expect(page.get_by_role("heading", name="Autumn")).to_be_visible()
    autumn = MatchRound.objects.get(name="Autumn")
    assert (autumn.mode, autumn.same_industry, autumn.max_timezone_hours) == ("stable", True, 3)
    assert (autumn.min_score, autumn.top_k) == (0.3, 10)
    expect(page.locator(".lead")).to_contain_text("same industry only · time zones at most 3 hours apart")
    assert page.console_errors == []
