import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, MenteeFactory, MentorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str, password: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_landing_page_explains_the_platform_and_offers_sign_in(page):
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    expect(page.get_by_text("For program admins")).to_be_visible()
    assert page.console_errors == []


def test_a_mentor_signs_in_sees_their_slots_and_signs_out(page):
    mentor = MentorFactory(username="otto", full_name="Otto Mentor")
    mentor.memberships.filter(role="mentor").update(capacity=3)

    sign_in(page, "otto", PASSWORD)

    expect(page.get_by_role("heading", name="Welcome, Otto")).to_be_visible()
    expect(page.get_by_text("You have 0 requests waiting and 0 of 3 slots taken.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    page.goto("/home/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/home/$"))
    assert page.console_errors == []


def test_a_wrong_password_is_explained_on_the_form(page):
    MenteeFactory(username="maya")

    sign_in(page, "maya", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page.get_by_label("Username")).to_have_value("maya")
    assert page.console_errors == []


def test_sign_in_works_on_a_phone(phone_page):
    MenteeFactory(username="maya", full_name="Maya Mentee")

    sign_in(phone_page, "maya", PASSWORD)

    expect(phone_page.get_by_role("heading", name="Welcome, Maya")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
