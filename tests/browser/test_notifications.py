"""The inbox in Chromium: a person asked in all three formats finds the notices behind the Inbox link's count,
opens one, marks one and then all read, and chooses a daily digest for requests; at phone and desktop widths."""

import pytest
from playwright.sync_api import expect

from notifications.models import NotificationSetting
from programs.models import Membership
from tests.browser.test_sign_in import sign_in
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, MenteeFactory, MentorFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Role = Membership.Role


def _asked_three_ways():
    """Otto mentors in `main` and in a group program and is a peer in a peer program; Maya asks him for a
    mentorship, Gus to join his circle, Pax to pair up."""
    otto = MentorFactory(username="otto", full_name="Otto Mentor")
    circles = ProgramFactory(slug="circles", name="Leadership circles", format="group")
    peers = ProgramFactory(slug="peers", name="Peer learning", format="peer")
    MembershipFactory(user=otto, program=circles, role=Role.MENTOR, capacity=3)
    MembershipFactory(user=otto, program=peers, role=Role.PEER)
    gus = UserFactory(username="gus", full_name="Gus Groupmember")
    MembershipFactory(user=gus, program=circles, role=Role.MENTEE)
    pax = UserFactory(username="pax", full_name="Pax Peerpartner")
    MembershipFactory(user=pax, program=peers, role=Role.PEER)
    for asker, body in (
        (MenteeFactory(username="maya", full_name="Maya Mentee"), {"mentor": otto.pk}),
        (gus, {"mentor": otto.pk, "program": "circles"}),
        (pax, {"peer": otto.pk, "program": "peers"}),
    ):
        assert client_for(asker).post("/api/v1/requests/", body, format="json").status_code == 201
    return otto


@pytest.mark.parametrize("width", [390, 1280])
def test_the_inbox_shows_each_request_and_the_person_chooses_a_digest(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    otto = _asked_three_ways()
    sign_in(page, "otto", PASSWORD)

    inbox = page.get_by_role("link", name="Inbox, 3 unread")
    expect(inbox).to_be_visible()
    inbox.click()
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    for subject in (
        "New mentorship request from Maya Mentee",
        "New request to join a circle from Gus Groupmember",
        "New request to pair up from Pax Peerpartner",
    ):
        expect(page.get_by_role("link", name=subject)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("button", name="Mark read New request to pair up from Pax Peerpartner").click()
    expect(page.get_by_role("link", name="Inbox, 2 unread")).to_be_visible()
    expect(page.get_by_role("button", name="Mark read New request to pair up from Pax Peerpartner")).to_have_count(0)

    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Mark all read")).to_have_count(0)

    page.get_by_role("link", name="New mentorship request from Maya Mentee").click()
    expect(page.get_by_role("heading", level=1, name="Requests")).to_be_visible()

    page.goto("/notifications/settings/")
    page.get_by_label("Mentorship requests: received, accepted, declined, closed").select_option("daily")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    assert NotificationSetting.objects.get(user=otto, kind="request").delivery == "daily"
    expect(page.get_by_text("Always on")).to_be_visible()
    assert page.console_errors == []
