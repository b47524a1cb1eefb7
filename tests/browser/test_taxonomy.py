"""Picking skills and industries by typing (keyboard and screen reader: a combobox with a list popup), suggesting
a new skill, and a program admin reviewing suggestions, at phone and desktop widths."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Skill, User
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, AdminFactory, IndustryFactory, MenteeFactory, SkillFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


@pytest.fixture
def taxonomy():
    for name in ("Public speaking", "Public policy", "Python", "Negotiation"):
        SkillFactory(name=name)
    IndustryFactory(name="Healthcare")
    IndustryFactory(name="Health informatics")


def _page_at(browser, live_server, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on(
        "console",
        lambda msg: msg.type == "error" and "/api/v1/" not in msg.location.get("url", "") and errors.append(msg.text),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"scrolls sideways at {width}px"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_mentee_picks_skills_and_an_industry_by_typing_and_suggests_a_new_skill(
    browser, live_server, taxonomy, tmp_path, width
):
    MenteeFactory(username="maya", full_name="Maya Mentee")
    page, errors = _page_at(browser, live_server, width)
    sign_in(page, "maya", PASSWORD)
    page.goto("/profile/")

    skills = page.get_by_role("combobox", name="Skills I want to grow")
    skills.click()
    page.keyboard.type("publ")
    listbox = page.get_by_role("listbox", name="Matches")
    expect(listbox.get_by_role("option")).to_have_text(["Public policy", "Public speaking"])
    expect(skills).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="2 matches")).to_have_count(1)
    _fits(page, width)
    page.screenshot(path=tmp_path / f"profile-suggestions-{width}.png", full_page=True)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option", name="Public speaking")).to_have_attribute("aria-selected", "true")
    expect(skills).to_have_attribute("aria-activedescendant", re.compile(r"^wanted_skills-suggestions-1$"))
    page.keyboard.press("Enter")  # picks; does not submit the form
    expect(skills).to_have_value("Public speaking")
    expect(listbox).to_be_hidden()
    expect(skills).to_have_attribute("aria-expanded", "false")

    page.keyboard.type(", Quantum gardening")
    expect(page.get_by_text("No skill named “Quantum gardening” yet")).to_be_visible()
    industry = page.get_by_role("combobox", name="Industry")
    industry.click()
    page.keyboard.type("health")
    expect(page.get_by_role("listbox", name="Matches").get_by_role("option")).to_have_count(2)
    page.keyboard.press("ArrowUp")  # from the field, Up goes to the last
    page.keyboard.press("Enter")
    expect(industry).to_have_value("Healthcare")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.locator(".tag-suggested")).to_have_text(["Quantum gardening · suggested"])
    expect(page.get_by_role("combobox", name="Skills I want to grow")).to_have_value(
        re.compile("^(Public speaking, Quantum gardening|Quantum gardening, Public speaking)$")
    )
    _fits(page, width)
    page.screenshot(path=tmp_path / f"profile-saved-{width}.png", full_page=True)
    profile = User.objects.get(username="maya").profile
    assert sorted(s.name for s in profile.wanted_skills.all()) == ["Public speaking", "Quantum gardening"]
    assert profile.industry.name == "Healthcare"
    assert Skill.objects.get(name="Quantum gardening").is_suggestion
    assert errors == []


def test_an_industry_not_on_the_list_is_refused_next_to_the_field(page, taxonomy):
    MenteeFactory(username="maya")
    sign_in(page, "maya", PASSWORD)
    page.goto("/profile/")

    page.get_by_role("combobox", name="Industry").fill("Space mining")
    expect(page.get_by_text("No industry named “Space mining”: pick one from the list.")).to_be_visible()
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator('[data-error-for="industry"]')).to_contain_text("“Space mining” is not one of the industries")
    expect(page.get_by_role("combobox", name="Industry")).to_have_attribute("aria-invalid", "true")
    assert page.console_errors == []


def test_the_directory_filters_search_as_you_type(page, taxonomy):
    from tests.factories import MentorFactory, with_profile

    MenteeFactory(username="maya")
    with_profile(MentorFactory(full_name="Pia Python"), skills=["Python"], industry="Healthcare")
    with_profile(MentorFactory(full_name="Nick Negotiator"), skills=["Negotiation"])
    sign_in(page, "maya", PASSWORD)
    page.goto("/mentors/")

    page.get_by_role("combobox", name="Skill").fill("pyth")
    page.get_by_role("option", name="Python").click()
    page.get_by_role("button", name="Show mentors").click()

    expect(page).to_have_url(re.compile(r"skill=Python"))
    expect(page.get_by_role("heading", name="Pia Python")).to_be_visible()
    expect(page.get_by_role("heading", name="Nick Negotiator")).to_have_count(0)
    assert page.console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_an_admin_approves_merges_and_rejects_suggestions(browser, live_server, tmp_path, width):
    AdminFactory(username="ada", full_name="Ada Admin")
    maya = MenteeFactory(username="maya", full_name="Maya Mentee")
    python = SkillFactory(name="Python")
    for name in ("Quantum gardening", "Pyhton", "Buy cheap watches"):
        maya.profile.wanted_skills.add(SkillFactory(name=name, status="suggested", suggested_by=maya))
    page, errors = _page_at(browser, live_server, width)
    sign_in(page, "ada", PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Skills").click()
    expect(page.get_by_role("heading", name="Suggestions to review (3)")).to_be_visible()
    card = page.get_by_role("article", name="Quantum gardening")
    expect(card).to_contain_text("Suggested by Maya Mentee (maya)")
    expect(card).to_contain_text("named by 1 profile or goal")
    _fits(page, width)
    page.screenshot(path=tmp_path / f"taxonomy-{width}.png", full_page=True)

    card.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="Suggestions to review (2)")).to_be_visible()
    assert Skill.objects.get(name="Quantum gardening").status == "approved"

    typo = page.get_by_role("article", name="Pyhton")
    typo.get_by_role("combobox", name="Merge into").fill("pyt")
    expect(typo.get_by_role("option")).to_have_text(["Python"])  # approved skills only: not "Pyhton"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(typo.get_by_role("combobox", name="Merge into")).to_have_value("Python")
    typo.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("heading", name="Suggestions to review (1)")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("article", name="Buy cheap watches").get_by_role("button", name="Reject").click()
    expect(page.get_by_text("No suggestion is waiting for review.")).to_be_visible()

    page.get_by_label("New industry").fill("Agriculture")
    page.get_by_role("button", name="Add industry").click()
    expect(page.get_by_text("“Agriculture” is in the list.")).to_be_visible()
    _fits(page, width)
    page.screenshot(path=tmp_path / f"taxonomy-done-{width}.png", full_page=True)
    assert sorted(s.name for s in maya.profile.wanted_skills.all()) == ["Python", "Quantum gardening"]
    assert not Skill.objects.filter(name__in=["Pyhton", "Buy cheap watches"]).exists()
    assert python.learning_profiles.get() == maya.profile
    assert errors == []
