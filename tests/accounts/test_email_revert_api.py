"""Undoing a change of address from the old one: once a change is confirmed, the old address gets a link (valid
EMAIL_REVERT_DAYS) that gives the account its address back and ends every session and API token of it
(POST /me/email/revert/)."""

import datetime as dt
import re

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import mail
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import EmailChange, EmailRevert, User
from tests.accounts.email_change import email_change_token
from tests.factories import PASSWORD, EmailChangeFactory, MenteeFactory, MentorFactory

ME = "/api/v1/me/"
CONFIRM = "/api/v1/me/email/confirm/"
REVERT = "/api/v1/me/email/revert/"
REVERT_LINK = re.compile(r"https?://[^/\s]+/account/email/revert/([\w-]+)/")
INVALID = {
    "token": [
        "This link is invalid or has expired: it works once, for 7 days after the change, and not after the change "
        "was undone."
    ]
}

pytestmark = pytest.mark.django_db


def revert_token(to: str) -> str:
    """The token of the newest undo link emailed to `to`."""
    for message in reversed(mail.outbox):
        if message.to == [to] and (found := REVERT_LINK.search(message.body)):
            return found.group(1)
    raise AssertionError(f"no undo link was emailed to {to}: {[m.subject for m in mail.outbox]}")


@pytest.fixture
def change_address(django_capture_on_commit_callbacks):
    """Whoever holds Maya's session and password moves her account to `email` (asks, then follows the link)."""

    def change(email: str, *, password: str = PASSWORD) -> None:
        thief = APIClient()
        thief.force_authenticate(User.objects.get(username="maya"))
        with django_capture_on_commit_callbacks(execute=True):
            asked = thief.patch(ME, {"email": email, "current_password": password}, format="json")
        assert asked.status_code == 200, asked.json()
        with django_capture_on_commit_callbacks(execute=True):
            assert APIClient().post(CONFIRM, {"token": email_change_token(email)}, format="json").status_code == 200

    return change


@pytest.fixture
def revert(anon, django_capture_on_commit_callbacks):
    """Anyone holding the link emailed to the old address: not signed in."""

    def post(token: str):
        with django_capture_on_commit_callbacks(execute=True):
            return anon.post(REVERT, {"token": token}, format="json")

    return post


def signed_in(client: Client) -> bool:
    return client.get(ME).status_code == 200


def api_client_of(username: str) -> APIClient:
    """A client with an API token asked for with the password, as API clients get one."""
    answer = APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def test_a_confirmed_change_sends_the_old_address_a_link_that_undoes_it(mentee, change_address):
    change_address("thief@example.org")

    [notice] = [m for m in mail.outbox if m.to == ["maya@example.org"] and REVERT_LINK.search(m.body)]
    assert notice.subject == "The email address of your mentorship account was changed"
    assert "is now thief@example.org" in notice.body
    assert "within 7 days" in notice.body
    assert "signs it out in every browser and stops its API tokens" in notice.body
    assert "choose a new one at once" in notice.body
    assert "http://testserver/accounts/password-reset/" in notice.body
    assert not [m for m in mail.outbox if m.to == ["thief@example.org"] and REVERT_LINK.search(m.body)]


def test_only_the_digest_of_the_undo_links_token_is_stored(mentee, change_address):
    change_address("thief@example.org")

    token = revert_token("maya@example.org")
    stored = EmailRevert.objects.get()
    assert (stored.user, stored.email) == (mentee, "maya@example.org")
    assert stored.token_digest == EmailRevert.digest_of(token)
    assert token not in stored.token_digest
    assert len(token) >= 43  # secrets.token_urlsafe(32)


def test_following_it_gives_the_old_address_back(mentee, change_address, revert):
    change_address("thief@example.org")

    response = revert(revert_token("maya@example.org"))

    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["email"], body["email_pending"]) == ("maya", "maya@example.org", None)
    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"
    assert not EmailRevert.objects.exists()


def test_following_it_ends_every_session_of_the_account_and_only_its(mentee, outsider, change_address, revert):
    laptop, phone, oscar = Client(), Client(), Client()
    assert laptop.login(request=HttpRequest(), username="maya", password=PASSWORD)
    assert phone.login(request=HttpRequest(), username="maya", password=PASSWORD)
    assert oscar.login(request=HttpRequest(), username="oscar", password=PASSWORD)
    change_address("thief@example.org")
    assert signed_in(laptop) and signed_in(phone)

    revert(revert_token("maya@example.org"))

    assert not signed_in(laptop)
    assert not signed_in(phone)
    assert laptop.get("/home/").status_code == 302  # the pages too
    assert signed_in(oscar)
    fresh = Client()  # the password still signs in: the owner then chooses a new one
    assert fresh.login(request=HttpRequest(), username="maya", password=PASSWORD)
    assert signed_in(fresh)


def test_following_it_stops_every_api_token_of_the_account_and_only_its(mentee, outsider, change_address, revert):
    mine, theirs = api_client_of("maya"), api_client_of("oscar")
    assert mine.get(ME).status_code == 200
    change_address("thief@example.org")

    revert(revert_token("maya@example.org"))

    assert mine.get(ME).status_code == 401
    assert theirs.get(ME).status_code == 200


def test_it_signs_no_one_in(mentee, change_address, anon, revert):
    change_address("thief@example.org")

    assert revert(revert_token("maya@example.org")).status_code == 200
    assert anon.get(ME).status_code == 401


def test_it_cancels_a_change_the_thief_asked_for_meanwhile(
    mentee, change_address, revert, django_capture_on_commit_callbacks
):
    change_address("thief@example.org")
    thief = APIClient()
    thief.force_authenticate(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        thief.patch(ME, {"email": "thief.again@example.org", "current_password": PASSWORD}, format="json")

    revert(revert_token("maya@example.org"))

    assert not EmailChange.objects.exists()
    confirm = APIClient().post(CONFIRM, {"token": email_change_token("thief.again@example.org")}, format="json")
    assert confirm.status_code == 400
    assert User.objects.get(username="maya").email == "maya@example.org"


def test_a_second_change_does_not_take_the_way_back_from_the_first_address(mentee, change_address, revert):
    """The thief moves the account on again: each old address gets its own link, and Maya's still works. Once
    used, the thief's own link (sent to the address in between) no longer does."""
    change_address("thief@example.org")
    change_address("thief.again@example.org")
    thiefs_way_back = revert_token("thief@example.org")

    assert revert(revert_token("maya@example.org")).status_code == 200

    assert User.objects.get(username="maya").email == "maya@example.org"
    assert revert(thiefs_way_back).json() == INVALID
    assert User.objects.get(username="maya").email == "maya@example.org"


def test_a_password_reset_through_the_new_address_does_not_take_the_way_back(mentee, change_address, revert):
    from tests.accounts.test_email_change_api import NEW_PASSWORD, reset_password

    change_address("thief@example.org")
    assert reset_password(asked_at="thief@example.org")

    assert revert(revert_token("maya@example.org")).status_code == 200

    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"
    assert mentee.check_password(NEW_PASSWORD)  # the thief's: the email and the page tell Maya to choose her own
    assert reset_password(asked_at="maya@example.org")  # which goes to her address again


def test_a_link_works_once(mentee, change_address, revert):
    change_address("thief@example.org")
    token = revert_token("maya@example.org")
    assert revert(token).status_code == 200

    again = revert(token)

    assert again.status_code == 400
    assert again.json() == INVALID


def test_an_unknown_token_is_an_invalid_link(revert):
    response = revert("made-up")

    assert response.status_code == 400
    assert response.json() == INVALID


def test_an_expired_link_is_refused_and_changes_nothing(mentee, change_address, revert, settings):
    settings.EMAIL_REVERT_DAYS = 7
    laptop = Client()
    assert laptop.login(request=HttpRequest(), username="maya", password=PASSWORD)
    change_address("thief@example.org")
    EmailRevert.objects.update(created_at=timezone.now() - dt.timedelta(days=7, minutes=1))

    response = revert(revert_token("maya@example.org"))

    assert response.status_code == 400
    assert response.json() == INVALID
    assert User.objects.get(username="maya").email == "thief@example.org"
    assert signed_in(laptop)


def test_a_link_just_inside_its_days_still_works(mentee, change_address, revert, settings):
    settings.EMAIL_REVERT_DAYS = 7
    change_address("thief@example.org")
    EmailRevert.objects.update(created_at=timezone.now() - dt.timedelta(days=6, hours=23, minutes=59))

    assert revert(revert_token("maya@example.org")).status_code == 200


def test_the_days_follow_the_setting(mentee, change_address, settings):
    settings.EMAIL_REVERT_DAYS = 2
    change_address("thief@example.org")

    notice = next(m for m in mail.outbox if m.to == ["maya@example.org"] and REVERT_LINK.search(m.body))
    assert "within 2 days" in notice.body


def test_an_old_address_that_now_has_another_account_is_a_409_and_changes_nothing(mentee, change_address, revert):
    laptop = Client()
    assert laptop.login(request=HttpRequest(), username="maya", password=PASSWORD)
    api = api_client_of("maya")
    change_address("thief@example.org")
    MentorFactory(username="mo", email="MAYA@example.org")  # meanwhile the old address got another account

    response = revert(revert_token("maya@example.org"))

    assert response.status_code == 409
    assert response.json()["code"] == "email_registered"
    assert User.objects.get(username="maya").email == "thief@example.org"
    assert signed_in(laptop)
    assert api.get(ME).status_code == 200
    assert EmailRevert.objects.exists()  # once the address is free again, the link still works until it expires


def test_no_link_is_sent_for_an_account_that_had_no_address(django_capture_on_commit_callbacks):
    """Accounts made in the Django admin may have none: there is nowhere to send it."""
    person = MenteeFactory(username="noaddress", email="")
    EmailChangeFactory(user=person, email="first@example.org", token="the-link")

    with django_capture_on_commit_callbacks(execute=True):
        assert APIClient().post(CONFIRM, {"token": "the-link"}, format="json").status_code == 200

    assert not EmailRevert.objects.exists()
    assert mail.outbox == []


def test_sessions_opened_before_the_generation_existed_stay_valid(mentee):
    """Generation 0 checks a session exactly as Django did, so deploying this signs nobody out."""
    assert mentee.session_generation == 0
    assert mentee.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(mentee)


def test_unknown_fields_and_a_missing_token_are_named(anon):
    response = anon.post(REVERT, {"email": "x@example.org"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"token", "email"}
