import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Skill, User
from mentorship.models import Goal, Milestone
from programs.models import Membership
from tests.accounts.email_change import EMAIL_CHANGE_LINK
from tests.accounts.test_email_revert_api import REVERT_LINK
from tests.browser.test_sign_in import sign_in
from tests.factories import (
    PASSWORD,
    IndustryFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    SkillFactory,
)

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


def _emailed_link(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    return EMAIL_CHANGE_LINK.search(message.body).group(0)


def test_a_mentor_edits_capacity_and_skills_with_suggestions_and_sees_errors_in_words(page):
    MentorFactory(username="otto", full_name="Otto Mentor")
    SkillFactory(name="Negotiation")
    IndustryFactory(name="Healthcare")
    sign_in(page, "otto", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()

    page.get_by_label("Capacity (mentees at once)").fill("-1")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator('[data-error-for="capacity"]')).to_have_text("Ensure this value is greater than or equal to 0.")

    page.get_by_label("Capacity (mentees at once)").fill("3")
    skills = page.get_by_label("Skills I can teach")
    skills.fill("Leadership, Nego")
    expect(page.get_by_role("option")).to_have_text(["Negotiation"])
    page.get_by_role("option", name="Negotiation").click()
    expect(skills).to_have_value("Leadership, Negotiation")
    page.get_by_label("Industry").fill("Healthcare")
    page.get_by_label("Accepting new mentees").uncheck()
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_label("Capacity (mentees at once)")).to_have_value("3")
    profile = User.objects.get(username="otto").profile
    mentoring = Membership.objects.get(user__username="otto", role="mentor")
    assert (mentoring.capacity, mentoring.accepting_requests, profile.industry.name) == (3, False, "Healthcare")
    assert sorted(s.name for s in profile.skills.all()) == ["Leadership", "Negotiation"]
    assert Skill.objects.filter(name__iexact="negotiation").count() == 1

    # A new address needs the password, then waits for the link emailed to it.
    page.get_by_label("Email").fill("otto.new@example.org")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator('[data-error-for="current_password"]')).to_have_text(
        "Give your current password to change your email address."
    )
    expect(page.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator('[data-error-for="current_password"]')).to_have_text("That is not your current password.")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("We sent a link to otto.new@example.org to confirm your new address")).to_be_visible()
    expect(page.get_by_label("Current password")).to_have_value("")
    expect(page.get_by_label("Email")).to_have_value("otto@example.org")
    assert User.objects.get(username="otto").email == "otto@example.org"

    page.goto(_emailed_link("otto.new@example.org"))
    expect(page).to_have_url(re.compile(r"/account/email/confirm/$"))
    expect(page.get_by_role("heading", name="Confirm your new address")).to_be_visible()
    expect(page.get_by_text("Confirm your new address otto.new@example.org")).to_be_visible()
    page.get_by_role("button", name="Confirm my new address").click()

    expect(page).to_have_url(re.compile(r"/profile/\?email=confirmed$"))
    expect(page.get_by_text("Your new email address is confirmed.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("otto.new@example.org")
    expect(page.get_by_text("We sent a link")).to_have_count(0)
    assert User.objects.get(username="otto").email == "otto.new@example.org"
    assert page.console_errors == []


def test_the_emailed_link_works_in_another_browser_and_once(page, browser, live_server):
    MenteeFactory(username="maya", email="maya@example.org")
    sign_in(page, "maya", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    page.get_by_label("Email").fill("maya.new@example.org")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("We sent a link to maya.new@example.org")).to_be_visible()
    link = _emailed_link("maya.new@example.org")

    phone = browser.new_context(base_url=live_server.url).new_page()  # signed out
    phone.goto(link)
    phone.get_by_role("button", name="Confirm my new address").click()
    expect(phone).to_have_url(re.compile(r"/accounts/login/\?email=confirmed$"))
    expect(phone.get_by_text("Your new email address is confirmed.")).to_be_visible()
    assert User.objects.get(username="maya").email == "maya.new@example.org"

    page.goto(link)  # back in the first browser: the link is used
    expect(page.get_by_text("This link is invalid or has expired")).to_be_visible()
    page.get_by_role("link", name="Ask again from your profile").click()
    expect(page.get_by_label("Email")).to_have_value("maya.new@example.org")
    phone.context.close()
    assert page.console_errors == []


def test_an_address_taken_before_the_link_is_followed_is_explained_on_the_page(page):
    MenteeFactory(username="maya", email="maya@example.org")
    sign_in(page, "maya", PASSWORD)
    page.goto("/profile/")
    page.get_by_label("Email").fill("maya.new@example.org")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("We sent a link to maya.new@example.org")).to_be_visible()
    MenteeFactory(username="mo", email="maya.new@example.org")  # meanwhile, someone else

    page.goto(_emailed_link("maya.new@example.org"))
    page.get_by_role("button", name="Confirm my new address").click()

    expect(page.get_by_role("alert")).to_contain_text("belongs to another account")
    assert User.objects.get(username="maya").email == "maya@example.org"
    assert page.console_errors == []


def _undo_link(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [to] and REVERT_LINK.search(m.body))
    return REVERT_LINK.search(message.body).group(0)


def test_the_old_address_undoes_a_change_it_did_not_make_and_every_session_ends(page, browser, live_server):
    """Someone with Maya's session and password moves her account to their address; the link sent to her old
    address gives it back, signs them out, and leads her to choose a new password."""
    MenteeFactory(username="maya", email="maya@example.org")
    sign_in(page, "maya", PASSWORD)  # the thief's browser
    page.goto("/profile/")
    page.get_by_label("Email").fill("thief@example.org")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("We sent a link to thief@example.org")).to_be_visible()
    page.goto(_emailed_link("thief@example.org"))
    page.get_by_role("button", name="Confirm my new address").click()
    expect(page.get_by_text("Your new email address is confirmed.")).to_be_visible()
    assert User.objects.get(username="maya").email == "thief@example.org"

    maya = browser.new_context(base_url=live_server.url).new_page()
    maya.goto(_undo_link("maya@example.org"))
    expect(maya).to_have_url(re.compile(r"/account/email/revert/$"))
    expect(maya.get_by_role("heading", name="Undo the change of address")).to_be_visible()
    expect(maya.get_by_text("Your account's email address was changed to thief@example.org")).to_be_visible()
    maya.get_by_role("button", name="Undo the change").click()

    expect(maya).to_have_url(re.compile(r"/accounts/password-reset/\?email=reverted$"))
    expect(maya.get_by_text("The change of address is undone")).to_be_visible()
    assert User.objects.get(username="maya").email == "maya@example.org"
    page.goto("/profile/")  # the thief's session is over
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    maya.get_by_label("Email").fill("maya@example.org")
    maya.get_by_role("button", name="Send the link").click()
    assert any(m.to == ["maya@example.org"] and "/accounts/reset/" in m.body for m in mail.outbox)
    maya.context.close()
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


def test_a_control_character_in_a_name_is_shown_beside_the_field_and_a_bio_keeps_its_lines(page):
    MentorFactory(username="otto", full_name="Otto Mentor")
    sign_in(page, "otto", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()

    # Pasted from elsewhere: an escape character a text input keeps (it drops line breaks by itself).
    page.get_by_label("Full name").fill("Otto\x1bMentor")
    page.get_by_label("About me").fill("Twelve years in fintech.\n\nAsk me about:\n\t- negotiation")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator('[data-error-for="full_name"]')).to_contain_text("No line breaks, tabs or other control")
    expect(page.get_by_label("Full name")).to_have_attribute("aria-invalid", "true")
    assert User.objects.get(username="otto").full_name == "Otto Mentor"

    page.get_by_label("Full name").fill("Otto Mentor")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("Saved.")).to_be_visible()
    profile = User.objects.get(username="otto").profile
    assert profile.bio == "Twelve years in fintech.\n\nAsk me about:\n\t- negotiation"
    assert page.console_errors == []


def _sign_in_to(page, path: str, username: str) -> None:
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(f"{re.escape(path)}$"))


@pytest.mark.parametrize("width", [390, 1280])
def test_a_mentee_fills_in_both_sides_of_their_profile_without_a_mentors_fields(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    MenteeFactory(username="maya")
    SkillFactory(name="Python")
    _sign_in_to(page, "/profile/", "maya")

    expect(page.get_by_label("Capacity (mentees at once)")).to_have_count(0)
    expect(page.get_by_label("Accepting new mentees")).to_have_count(0)
    page.get_by_label("Headline").fill("Analyst moving into data engineering")
    page.get_by_label("Languages").fill("English, Portuguese")
    page.get_by_label("Years of experience").fill("4")
    page.get_by_label("Skills I can teach").fill("Spreadsheets")
    wanted = page.get_by_label("Skills I want to grow")
    wanted.fill("Pyth")
    expect(page.get_by_role("option")).to_have_text(["Python"])
    page.get_by_role("option", name="Python").click()
    expect(wanted).to_have_value("Python")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_text("Spreadsheets · suggested")).to_be_visible()
    profile = User.objects.get(username="maya").profile
    assert (profile.headline, profile.languages, profile.years_experience) == (
        "Analyst moving into data engineering",
        ["English", "Portuguese"],
        4,
    )
    assert [s.name for s in profile.skills.all()] == ["Spreadsheets"]
    assert [s.name for s in profile.wanted_skills.all()] == ["Python"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    assert page.console_errors == []


def test_a_mentor_lowering_capacity_below_their_mentees_reads_why_beside_the_field(page):
    mentor = MentorFactory(username="otto")
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor)
    _sign_in_to(page, "/profile/", "otto")

    page.get_by_label("Capacity (mentees at once)").fill("1")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator('[data-error-for="capacity"]')).to_be_visible()
    expect(page.locator('[data-error-for="capacity"]')).not_to_be_empty()
    expect(page.get_by_label("Capacity (mentees at once)")).to_have_attribute("aria-invalid", "true")
    assert Membership.objects.get(user=mentor, role="mentor").capacity == 2
