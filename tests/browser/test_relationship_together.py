"""The relationship between meetings in real Chromium, in each format and at phone and desktop widths: one person
proposes the agreement and another confirms it, a message reaches the other with an unread badge, and an action
item is added and ticked. Each state is audited with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from mentorship import agreements
from mentorship.models import ActionItem, AgreementConfirmation, Message
from tests.browser.test_format_pages import _looks_right
from tests.factories import GoalFactory, MenteeFactory, MentorFactory, MentorshipFactory, MilestoneFactory
from tests.formats import circle_world, peer_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _one_on_one():
    mentorship = MentorshipFactory(
        mentee=MenteeFactory(username="maya", full_name="Maya Mentee"),
        mentor=MentorFactory(username="otto", full_name="Otto Mentor"),
    )
    return mentorship, "otto", "maya", []


def _circle():
    world = circle_world()
    return world["circle"], "otto", "ana", [world["ben"], world["cy"]]


def _pair():
    world = peer_world()
    return world["pair"], "ivy", "jon", []


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("make", [_one_on_one, _circle, _pair], ids=["one_on_one", "circle", "peer"])
def test_they_agree_write_and_follow_up(person_at, tmp_path, width, make):
    mentorship, first, second, rest = make()
    url = f"/mentorships/{mentorship.pk}/"

    proposer = person_at(first, width)
    proposer.goto(url)
    agreement = proposer.get_by_role("region", name="Our agreement")
    expect(agreement.get_by_label("What we expect of each other")).to_contain_text("Goals for our time together")
    _looks_right(proposer, width, tmp_path, f"agreement-prompt-{first}")
    agreement.get_by_label("Meet every … days").fill("10")
    agreement.get_by_label("How we meet").select_option("video")
    agreement.get_by_label("Meeting link (for video calls)").fill("https://meet.example.org/us")
    agreement.get_by_role("button", name="Propose the agreement").click()
    expect(proposer.get_by_text("Agreement proposed.")).to_be_visible()
    expect(proposer.get_by_text("Every 10 days")).to_be_visible()
    proposer.get_by_label("Write a message").fill("Hello <b>there</b>\nSee https://example.org/notes")
    proposer.get_by_role("button", name="Send").click()
    expect(proposer.get_by_text("Message sent.")).to_be_visible()

    other = person_at(second, width)
    nav = other.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"Mentorships.*1 unread message"))).to_be_visible()
    nav.get_by_role("link", name=re.compile("Mentorships")).click()
    other.get_by_role("link", name="1 unread message", exact=True).click()
    conversation = other.get_by_role("region", name="Messages")
    expect(conversation.get_by_text("Hello <b>there</b>")).to_be_visible()  # shown as typed, not as markup
    expect(conversation.get_by_role("link", name="https://example.org/notes")).to_be_visible()
    expect(nav.get_by_role("link", name=re.compile("unread"))).to_have_count(0)  # read on sight
    other.get_by_role("button", name="Confirm the agreement").click()
    expect(other.get_by_text("You confirmed the agreement.")).to_be_visible()
    for member in rest:  # the rest of a circle confirm too: only then is it agreed by everyone
        agreements.agreement_confirm(mentorship=mentorship, by=member)
    other.reload()
    expect(other.get_by_text("Everyone confirmed this version.")).to_be_visible()

    items = other.get_by_role("region", name="Action items")
    items.locator("summary", has_text="Add an action item").click()
    items.get_by_label("What").fill("Send the draft")
    items.get_by_role("button", name="Add").click()
    expect(other.get_by_text("Action item added.")).to_be_visible()
    tick = other.get_by_role("checkbox", name="Send the draft")
    expect(tick).to_be_focused()
    tick.check()
    expect(other.get_by_text("Done: well done.")).to_be_visible()
    expect(other.get_by_role("checkbox", name="Send the draft")).to_be_checked()
    _looks_right(other, width, tmp_path, f"together-{second}")

    assert AgreementConfirmation.objects.filter(version=1).count() == len(mentorship.people())
    assert Message.objects.get().body.startswith("Hello <b>there</b>")
    assert ActionItem.objects.get().done


@pytest.mark.parametrize("width", [390, 1280])
def test_a_mentee_edits_reorders_and_deletes_milestones(person_at, tmp_path, width):
    mentee = MenteeFactory(username="maya", full_name="Maya Mentee")
    goal = GoalFactory(mentee=mentee, title="Give a talk")
    for position, title in enumerate(("Outline", "Draft", "Rehearse")):
        MilestoneFactory(goal=goal, title=title, position=position)

    page = person_at("maya", width)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My goals")
    page.get_by_role("button", name="Move up “Rehearse”").click()
    expect(page.get_by_text("Moved up.")).to_be_visible()
    expect(page.get_by_role("button", name="Move up “Rehearse”")).to_be_focused()
    outline = page.locator("li.milestone", has_text="Outline")
    outline.locator("summary", has_text="Edit").click()
    outline.get_by_label("Title").fill("Write the outline")
    outline.get_by_role("button", name="Save milestone").click()
    expect(page.get_by_text("Milestone saved.")).to_be_visible()
    draft = page.locator("li.milestone", has_text="Draft")
    draft.locator("summary", has_text="Edit").click()
    page.once("dialog", lambda dialog: dialog.accept())
    draft.get_by_role("button", name="Delete milestone").click()
    expect(page.get_by_text("Milestone deleted.")).to_be_visible()
    _looks_right(page, width, tmp_path, "milestones")

    assert list(goal.milestones.values_list("title", flat=True)) == ["Write the outline", "Rehearse"]
