"""A circle and a peer pair lived through in real Chromium, at phone and desktop widths: each person in their own
browser context, every action through the API as the pages send it, each new state audited with axe-core."""

import pytest
from playwright.sync_api import expect

from mentorship.models import Feedback, Mentorship, MentorshipMember, MentorshipRequest, Session
from tests.browser.conftest import axe_violations
from tests.formats import circle_world, peer_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


def _looks_right(page, width: int, shots, name: str) -> None:
    """The page as it is now: no WCAG A/AA violation, nothing wider than the screen; a screenshot to look at."""
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways at {width}px"
    page.screenshot(path=shots / f"{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_circle_logs_a_session_for_who_came_a_member_rates_and_shares_one_leaves_and_the_mentor_closes(
    person_at, tmp_path, width
):
    world = circle_world()
    circle = world["circle"]

    mentor = person_at("otto", width)
    mentor.get_by_role("navigation", name="Main").get_by_role("link", name="Mentorships").click()
    expect(mentor.get_by_text("3 of 4 places taken")).to_be_visible()
    mentor.get_by_role("link", name="Your circle").click()
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Your circle")
    mentor.locator("summary", has_text="Log a session").click()
    who_came = mentor.get_by_role("group", name="Who came")
    expect(who_came.get_by_role("checkbox")).to_have_count(4)
    for checkbox in who_came.get_by_role("checkbox").all():
        expect(checkbox).to_be_checked()  # everyone, until the mentor says otherwise
    _looks_right(mentor, width, tmp_path, "circle-mentor-logging")
    who_came.get_by_role("checkbox", name="Cy Chen").uncheck()
    mentor.get_by_label("Notes").fill("Practised hard conversations.")
    mentor.get_by_role("checkbox", name="Hire my first engineer").check()
    mentor.get_by_role("button", name="Save session").click()
    expect(mentor.get_by_text("Came: Otto, Ana, Ben")).to_be_visible()
    session = Session.objects.get(mentorship=circle)
    assert {u.username for u in session.attendees.all()} == {"otto", "ana", "ben"}
    assert [g.title for g in session.goals.all()] == ["Hire my first engineer"]

    member = person_at("ana", width)
    member.goto(f"/mentorships/{circle.pk}/")
    expect(member.get_by_role("heading", level=1)).to_have_text("Otto's circle")
    member.get_by_label("Rating").select_option("5")
    member.get_by_label("Comment", exact=True).fill("Useful role play.")
    member.get_by_role("button", name="Send feedback").click()
    expect(member.get_by_text("You rated it 5/5 — “Useful role play.”")).to_be_visible()
    member.get_by_role("button", name="Share with the circle “Hire my first engineer”").click()
    expect(member.get_by_role("button", name="Stop sharing “Hire my first engineer”")).to_be_focused()
    assert Feedback.objects.get(session=session).author.username == "ana"
    shared = world["goals"]["ana_private"]
    shared.refresh_from_db()
    assert shared.shared
    _looks_right(member, width, tmp_path, "circle-member")

    absent = person_at("cy", width)
    absent.goto(f"/mentorships/{circle.pk}/")
    expect(absent.get_by_text("You were not at this session.")).to_be_visible()
    shared_here = absent.get_by_role("region", name="Shared in the circle")
    expect(shared_here.get_by_text("Hire my first engineer")).to_be_visible()  # Ana shared it a moment ago
    absent.once("dialog", lambda dialog: dialog.accept())
    absent.get_by_role("button", name="Leave the circle").click()
    expect(absent.get_by_text("You left this circle on")).to_be_visible()
    assert MentorshipMember.objects.get(mentorship=circle, user__username="cy").status == "left"

    mentor.reload()
    expect(mentor.get_by_text("2 of 4 places taken")).to_be_visible()
    expect(mentor.get_by_role("heading", name="Left the circle")).to_be_visible()
    expect(mentor.get_by_text("Ana rated it 5/5")).to_be_visible()
    mentor.once("dialog", lambda dialog: dialog.accept())
    mentor.get_by_role("button", name="Close the circle").click()
    expect(mentor.get_by_text("The circle is closed.")).to_be_visible()
    assert Mentorship.objects.get(pk=circle.pk).status == "completed"
    _looks_right(mentor, width, tmp_path, "circle-closed")


@pytest.mark.parametrize("width", WIDTHS)
def test_peers_ask_to_pair_accept_either_logs_both_rate_and_either_completes(person_at, tmp_path, width):
    world = peer_world()

    asker = person_at("kai", width)
    asker.get_by_role("navigation", name="Main").get_by_role("link", name="Peers").click()
    expect(asker.get_by_role("heading", level=1)).to_contain_text("Peers")
    expect(asker.get_by_text("Fully paired")).to_have_count(2)  # Ivy and Jon
    _looks_right(asker, width, tmp_path, "peers")
    card = asker.get_by_role("article").filter(has=asker.get_by_role("heading", name="Lea Lund"))
    card.locator("summary", has_text="Ask to pair").click()
    card.get_by_label("Message to Lea").fill("I can teach Figma; you could teach me testing?")
    card.get_by_role("button", name="Send request").click()
    expect(asker.get_by_text("Your request to Lea is sent.")).to_be_visible()
    expect(card.get_by_text("Request waiting")).to_be_visible()

    asked = person_at("lea", width)
    asked.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    expect(asked.get_by_role("heading", name="Kai Kim asks to pair with you")).to_be_visible()
    _looks_right(asked, width, tmp_path, "peer-requests")
    asked.get_by_role("button", name="Accept").click()
    expect(asked.get_by_text("You and Kai are peer partners now.")).to_be_visible()
    pair = Mentorship.objects.get(program=world["program"], members__user__username="lea")
    assert MentorshipRequest.objects.get(mentee__username="kai").status == "accepted"

    asked.goto(f"/mentorships/{pair.pk}/")
    expect(asked.get_by_role("heading", level=1)).to_have_text("Peer pair: Lea and Kai")
    asked.locator("summary", has_text="Log a session").click()
    asked.get_by_label("Notes").fill("Kai showed me Figma components.")
    asked.get_by_role("button", name="Save session").click()
    expect(asked.get_by_text("Kai showed me Figma components.")).to_be_visible()
    asked.get_by_label("Rating").select_option("4")
    asked.get_by_role("button", name="Send feedback").click()
    expect(asked.get_by_text("You rated it 4/5")).to_be_visible()

    asker.goto(f"/mentorships/{pair.pk}/")
    expect(asker.get_by_text("Lea rated it 4/5")).to_be_visible()
    asker.get_by_label("Rating").select_option("5")
    asker.get_by_role("button", name="Send feedback").click()
    expect(asker.get_by_text("You rated it 5/5")).to_be_visible()
    _looks_right(asker, width, tmp_path, "peer-pair")
    session = Session.objects.get(mentorship=pair)
    assert sorted(f.author.username for f in session.feedback.all()) == ["kai", "lea"]

    asker.once("dialog", lambda dialog: dialog.accept())
    asker.get_by_role("button", name="Complete the pair").click()
    expect(asker.get_by_text("The pair is completed.")).to_be_visible()
    assert Mentorship.objects.get(pk=pair.pk).status == "completed"
