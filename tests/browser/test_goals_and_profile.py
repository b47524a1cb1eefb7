import pytest
from playwright.sync_api import expect

from accounts.models import Skill
from mentorship.models import Goal, Milestone
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, MenteeFactory, MentorFactory, SkillFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentee_sets_a_goal_adds_milestones_and_ticks_one(page):
    MenteeFactory(username="maya")
    sign_in(page, "maya", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").click()

    page.locator("summary", has_text="New goal").click()
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator('[data-error-for="title"]').first).to_have_text("This field is required.")
    page.get_by_label("Title").fill("Give a talk at a meetup")
    page.get_by_label("Skills").fill("Public speaking, storytelling")
    page.get_by_role("button", name="Save goal").click()

    expect(page.get_by_role("heading", name="Give a talk at a meetup")).to_be_visible()
    for title in ("Pick a topic", "Rehearse twice"):
        page.get_by_label("New milestone").fill(title)
        page.get_by_role("button", name="Add milestone").click()
        expect(page.get_by_label(title)).to_be_visible()
    page.get_by_label("Pick a topic").check()

    progress = page.get_by_role("progressbar", name="Progress of Give a talk at a meetup")
    expect(progress).to_have_attribute("value", "50")
    goal = Goal.objects.get(title="Give a talk at a meetup")
    assert sorted(s.name for s in goal.skills.all()) == ["Public speaking", "storytelling"]
    assert Milestone.objects.get(title="Pick a topic").done
    assert page.console_errors == []


def test_a_mentor_edits_capacity_and_skills_with_suggestions_and_sees_errors_in_words(page):
    MentorFactory(username="otto", full_name="Otto Mentor")
    SkillFactory(name="Negotiation")
    sign_in(page, "otto", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()

    page.get_by_label("Capacity (mentees at once)").fill("-1")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator('[data-error-for="capacity"]')).to_have_text("Ensure this value is greater than or equal to 0.")

    page.get_by_label("Capacity (mentees at once)").fill("3")
    skills = page.get_by_label("Skills I can help with")
    skills.fill("Leadership, Nego")
    expect(page.locator("#skill-options option")).to_have_count(1)
    assert page.locator("#skill-options option").first.get_attribute("value") == "Leadership, Negotiation"
    skills.fill("Leadership, Negotiation")
    page.get_by_label("Industry").fill("Healthcare")
    page.get_by_label("Accepting new mentees").uncheck()
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_label("Capacity (mentees at once)")).to_have_value("3")
    profile = MentorFactory._meta.model.objects.get(username="otto").mentor_profile
    assert (profile.capacity, profile.accepting_requests, profile.industry.name) == (3, False, "Healthcare")
    assert sorted(s.name for s in profile.skills.all()) == ["Leadership", "Negotiation"]
    assert Skill.objects.filter(name__iexact="negotiation").count() == 1
    assert page.console_errors == []


def test_a_mentee_edits_then_deletes_a_goal(page):
    from tests.factories import GoalFactory

    mentee = MenteeFactory(username="maya")
    GoalFactory(mentee=mentee, title="Learn SQL")
    sign_in(page, "maya", PASSWORD)
    page.goto("/goals/")

    card = page.locator("article", has_text="Learn SQL")
    card.locator("summary", has_text="Edit").click()
    card.get_by_label("Title", exact=True).fill("")
    card.get_by_role("button", name="Save changes").click()
    expect(card.locator('.edit-goal [data-error-for="title"]')).to_have_text("This field may not be blank.")
    card.get_by_label("Title", exact=True).fill("Write SQL reports on my own")
    card.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Write SQL reports on my own")).to_be_visible()

    page.locator("article", has_text="Write SQL reports").locator("summary", has_text="Edit").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete goal").click()
    expect(page.get_by_text("No goal yet.")).to_be_visible()
    assert not Goal.objects.filter(mentee=mentee).exists()
    assert page.console_errors == []
