"""The main journeys of mentees and mentors in real Chromium, each action through the API as a user would."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from mentorship.models import Mentorship, MentorshipRequest
from tests.accounts.signup import CONFIRM_LINK
from tests.browser.test_sign_in import sign_in
from tests.factories import (
    PASSWORD,
    GoalFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    RequestFactory,
    with_profile,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_sign_up(page, *, email: str, username: str, password: str) -> None:
    page.get_by_label("A mentee: I am looking for a mentor").check()
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create my account").click()


def _emailed_link(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    return CONFIRM_LINK.search(message.body).group(0)


def test_check_your_email_shows_the_address_from_the_fragment_and_nothing_else(page):
    page.goto("/signup/sent/#nia%40example.org")
    expect(page.locator(".address")).to_have_text("nia@example.org")

    page.goto("/")
    page.goto("/signup/sent/#Send%20your%20password%20to%20evil.example")  # a crafted link
    expect(page.locator(".address")).to_have_text("your address")


def test_a_newcomer_signs_up_follows_the_emailed_link_and_lands_signed_in(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    _fill_sign_up(page, email="not-an-email", username="nia", password="123")

    expect(page.locator('[data-error-for="email"]')).to_have_text("Enter a valid email address.")
    expect(page.locator('[data-error-for="password"]')).to_contain_text("too short")
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Password").fill("a-long-unusual-secret")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_text("nia@example.org")).to_be_visible()
    assert not User.objects.filter(username="nia").exists()

    link = _emailed_link("nia@example.org")
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/signup/confirm/$"))  # the token left the address bar (and the logs) at once
    expect(page.get_by_role("heading", name="Finish signing up")).to_be_visible()
    expect(page.get_by_text("Nia Newcomer")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("nia")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator('[data-error-for="password"]')).to_have_text("This field may not be blank.")
    page.get_by_label("Password").fill("not-what-i-chose")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator('[data-error-for="password"]')).to_have_text(
        "That is not the password you chose when you signed up."
    )
    assert not User.objects.filter(username="nia").exists()
    page.get_by_label("Password").fill("a-long-unusual-secret")
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", name="Welcome, Nia")).to_be_visible()
    expect(page.get_by_role("heading", name="Recommended mentors")).to_be_visible()
    assert page.console_errors == []


def test_a_username_taken_before_the_link_is_followed_is_changed_on_the_page(page):
    page.goto("/signup/")
    _fill_sign_up(page, email="nia@example.org", username="nia", password="a-long-unusual-secret")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    MenteeFactory(username="NIA", email="another.nia@example.org")  # meanwhile, someone else

    page.goto(_emailed_link("nia@example.org"))
    page.get_by_label("Password").fill("a-long-unusual-secret")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator('[data-error-for="username"]')).to_have_text("That username is taken. Choose another.")
    page.get_by_label("Username").fill("nia.newcomer")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", name="Welcome, Nia")).to_be_visible()
    assert User.objects.get(email="nia@example.org").username == "nia.newcomer"
    assert page.console_errors == []


def test_signing_up_with_an_address_that_has_an_account_looks_the_same_and_emails_its_owner(page):
    MenteeFactory(username="maya", email="maya@example.org")

    page.goto("/signup/")
    _fill_sign_up(page, email="maya@example.org", username="maya2", password="a-long-unusual-secret")

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_text("maya@example.org")).to_be_visible()
    assert mail.outbox[-1].subject == "You already have a mentorship account"
    assert not CONFIRM_LINK.search(mail.outbox[-1].body)


def test_a_used_link_says_so_and_offers_to_sign_up_again(page):
    page.goto("/signup/")
    _fill_sign_up(page, email="nia@example.org", username="nia", password="a-long-unusual-secret")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = _emailed_link("nia@example.org")
    page.goto(link)
    page.get_by_label("Password").fill("a-long-unusual-secret")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Welcome, Nia")).to_be_visible()

    page.goto(link)

    expect(page.get_by_text("This link is invalid or has expired")).to_be_visible()
    page.get_by_role("link", name="Sign up again").click()
    expect(page).to_have_url(re.compile(r"/home/$"))  # already signed in: the sign-up form sends her home
    assert page.console_errors == []


def test_a_second_browser_replaying_the_link_gets_no_session(page, browser, live_server):
    """Someone who read the link in an access log opens it in their own browser, before or after its owner."""
    page.goto("/signup/")
    _fill_sign_up(page, email="nia@example.org", username="nia", password="a-long-unusual-secret")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = _emailed_link("nia@example.org")
    other = browser.new_context(base_url=live_server.url).new_page()

    other.goto(link)  # before the owner: the page asks for the password the owner chose
    expect(other).to_have_url(re.compile(r"/signup/confirm/$"))
    other.get_by_role("button", name="Create my account").click()
    expect(other.locator('[data-error-for="password"]')).to_have_text("This field may not be blank.")
    assert not User.objects.filter(username="nia").exists()

    page.goto(link)  # the owner finishes, signed in
    page.get_by_label("Password").fill("a-long-unusual-secret")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Welcome, Nia")).to_be_visible()

    other.goto(link)  # after the owner: nothing to see, and still signed out
    expect(other.get_by_text("This link is invalid or has expired")).to_be_visible()
    other.goto("/home/")
    expect(other).to_have_url(re.compile(r"/accounts/login/"))
    assert other.goto("/api/v1/me/").status == 401
    other.context.close()
    assert page.console_errors == []


def test_a_mentee_finds_a_mentor_by_skill_and_requests_them_with_a_goal(page):
    mentee = with_profile(MenteeFactory(username="maya", full_name="Maya Mentee"), skills=["Python"])
    GoalFactory(mentee=mentee, title="Ship my first data pipeline")
    with_profile(MentorFactory(username="pia", full_name="Pia Python"), skills=["Python", "SQL"], industry="Health")
    with_profile(MentorFactory(username="lou", full_name="Lou Leader"), skills=["Leadership"])

    sign_in(page, "maya", PASSWORD)
    expect(page.get_by_role("link", name="Pia Python")).to_be_visible()  # recommended on the home page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentors", exact=True).click()
    page.get_by_label("Skill").fill("python")
    page.get_by_role("button", name="Show mentors").click()
    expect(page.get_by_role("status")).to_have_text("1 mentor")
    page.get_by_role("link", name="Pia Python").click()

    page.locator("summary", has_text="Request mentorship").click()
    page.get_by_label("Message").fill("I would love your help with pipelines.")
    page.get_by_label("Ship my first data pipeline").check()
    page.get_by_role("button", name="Send request").click()

    expect(page).to_have_url(re.compile(r"/requests/\?sent=1$"))
    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    expect(page.get_by_role("link", name="Pia Python")).to_be_visible()
    request = MentorshipRequest.objects.get(mentee=mentee)
    assert request.message == "I would love your help with pipelines."
    assert [g.title for g in request.goals.all()] == ["Ship my first data pipeline"]
    assert mail.outbox[-1].to == ["pia@example.org"]
    assert page.console_errors == []


def test_a_mentor_accepts_one_request_and_declines_another_with_a_reason(page):
    mentor = MentorFactory(username="otto", full_name="Otto Mentor")
    first = RequestFactory(mentor=mentor, mentee=MenteeFactory(full_name="Ann First"))
    second = RequestFactory(mentor=mentor, mentee=MenteeFactory(full_name="Ben Second"))

    sign_in(page, "otto", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    page.locator("article", has_text="Ann First").get_by_role("button", name="Accept").click()
    expect(page.locator("table")).to_contain_text("Ann First")

    card = page.locator("article", has_text="Ben Second")
    card.locator("summary", has_text="Decline").click()
    card.get_by_label("Reason").select_option("not_a_fit")
    card.get_by_label("Note to").fill("Lou knows this field better.")
    card.get_by_role("button", name="Send decline").click()

    expect(page.locator("table")).to_contain_text("My experience is not a good fit")
    assert Mentorship.objects.filter(mentor=mentor, members__user=first.mentee, status="active").exists()
    second.refresh_from_db()
    assert (second.status, second.decline_note) == ("declined", "Lou knows this field better.")
    assert page.console_errors == []


def test_an_answer_that_came_too_late_shows_why_instead_of_failing_silently(page):
    mentor = MentorFactory(username="otto", full_name="Otto Mentor")
    request = RequestFactory(mentor=mentor, mentee=MenteeFactory(full_name="Ann First"))

    sign_in(page, "otto", PASSWORD)
    page.goto("/requests/")
    MentorshipRequest.objects.filter(pk=request.pk).update(status="withdrawn")  # meanwhile, in another tab
    page.get_by_role("button", name="Accept").click()

    expect(page.get_by_role("alert")).to_have_text("This request is withdrawn; only a pending request can be accepted.")
    assert not Mentorship.objects.exists()


def test_a_full_mentor_cannot_be_requested_and_the_page_says_why(page):
    MenteeFactory(username="maya")
    mentor = MentorFactory(username="otto", full_name="Otto Mentor")
    for _ in range(2):
        MentorshipFactory(mentor=mentor)

    sign_in(page, "maya", PASSWORD)
    page.goto(f"/mentors/{mentor.pk}/")

    expect(page.get_by_text("Otto Mentor has no open slot at the moment.")).to_be_visible()
    expect(page.get_by_role("button", name="Request mentorship")).to_be_disabled()


def test_the_directory_fits_a_phone_and_keeps_its_labels(phone_page):
    MenteeFactory(username="maya")
    for i in range(3):
        with_profile(MentorFactory(full_name=f"Mentor Number {i}"), skills=["Python"], industry="Retail")

    sign_in(phone_page, "maya", PASSWORD)
    phone_page.goto("/mentors/")

    for label in ("Search", "Skill", "Industry", "Accepting new mentees"):
        expect(phone_page.get_by_label(label)).to_be_visible()
    expect(phone_page.get_by_role("link", name="Mentor Number 0")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
