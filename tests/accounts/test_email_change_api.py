"""Changing one's email address: asking (PATCH /me/, with the password) tells nobody who is registered, and the
account keeps its address until the link emailed to the new one is followed (POST /me/email/confirm/)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import EmailChange, User
from tests.accounts.email_change import EMAIL_CHANGE_LINK, email_change_token
from tests.factories import PASSWORD, EmailChangeFactory, MenteeFactory, MentorFactory

ME = "/api/v1/me/"
CONFIRM = "/api/v1/me/email/confirm/"
INVALID = {"token": ["This link is invalid or has expired. Ask for the change again from your profile."]}

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask(mentee_client, django_capture_on_commit_callbacks):
    """Maya (maya@example.org) asks for a change through her profile, with her password unless the body says
    otherwise; the emails go out as after a commit."""

    def patch(body):
        if "email" in body:
            body = {"current_password": PASSWORD, **body}
        with django_capture_on_commit_callbacks(execute=True):
            return mentee_client.patch(ME, body, format="json")

    return patch


@pytest.fixture
def confirm(anon, django_capture_on_commit_callbacks):
    """Anyone holding the link: not signed in, as when it is opened in another browser."""

    def post(token):
        with django_capture_on_commit_callbacks(execute=True):
            return anon.post(CONFIRM, {"token": token}, format="json")

    return post


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


NEW_PASSWORD = "a-fresh-secret-42"
RESET_LINK = re.compile(r"http://testserver(/accounts/reset/\S+/)")


def reset_password(*, asked_at: str) -> bool:
    """Ask a password reset for an address and choose NEW_PASSWORD with the link it mails; False if none came."""
    browser = Client()
    browser.post("/accounts/password-reset/", {"email": asked_at})
    links = [RESET_LINK.search(message.body) for message in mail_to(asked_at)]
    if not any(links):
        return False
    form = browser.get([link for link in links if link][-1].group(1), follow=True)
    done = browser.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    return done.status_code == 302


def test_asking_for_a_free_address_or_another_accounts_answers_the_same(ask):
    free = ask({"email": "maya.new@example.org"})
    MenteeFactory(username="nora", email="Maya.New@example.org")  # now it belongs to someone else
    taken = ask({"email": "maya.new@example.org"})

    assert free.status_code == taken.status_code == 200
    assert free.json() == taken.json()
    assert free.json()["email"] == "maya@example.org"
    assert free.json()["email_pending"] == "maya.new@example.org"


def test_the_account_keeps_its_address_until_the_link_is_followed(ask, mentee, mentee_client):
    ask({"email": "maya.new@example.org"})

    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"
    body = mentee_client.get(ME).json()
    assert (body["email"], body["email_pending"]) == ("maya@example.org", "maya.new@example.org")


def test_nothing_is_pending_at_first(mentee_client, mentor_client, admin_client_api):
    for client in (mentee_client, mentor_client, admin_client_api):
        assert client.get(ME).json()["email_pending"] is None


def test_a_free_address_gets_the_link_and_the_current_one_a_notice(ask):
    ask({"email": "maya.new@example.org"})

    [link] = mail_to("maya.new@example.org")
    assert link.subject == "Confirm your new email address"
    assert EMAIL_CHANGE_LINK.search(link.body)
    assert "48 hours" in link.body
    [notice] = mail_to("maya@example.org")
    assert "maya.new@example.org" in notice.body
    assert "http://testserver/accounts/password-reset/" in notice.body
    assert not EMAIL_CHANGE_LINK.search(notice.body)
    assert len(mail.outbox) == 2


def test_another_accounts_address_gets_a_warning_with_no_link_and_the_current_one_the_notice(ask):
    MenteeFactory(username="nora", email="nora@example.org")

    ask({"email": "NORA@example.org"})

    [warning] = mail_to("nora@example.org")
    assert "Someone tried to use this address for another account on the mentorship platform" in warning.body
    assert "nothing was changed" in warning.body
    assert "If it was you, sign in with this address instead" in warning.body
    assert not EMAIL_CHANGE_LINK.search(warning.body)
    assert "maya" not in warning.body.lower()  # Nora learns nothing of who asked
    [notice] = mail_to("maya@example.org")
    assert "nora@example.org" in notice.body.lower()
    assert len(mail.outbox) == 2
    assert EmailChange.objects.get().email == "NORA@example.org"


def test_the_current_address_in_another_case_changes_nothing_and_clears_nothing(ask, mentee, mentee_client):
    ask({"email": "MAYA@example.org"})
    assert mail.outbox == []
    assert not EmailChange.objects.exists()

    ask({"email": "maya.new@example.org"})
    again = ask({"email": "maya@example.org"})  # the profile form sends the address it shows

    assert again.json()["email_pending"] == "maya.new@example.org"
    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"


def test_the_other_fields_of_the_same_request_change_at_once(ask, mentee):
    response = ask({"email": "maya.new@example.org", "full_name": "Maya M. Mentee", "bio": "Hello"})

    body = response.json()
    assert (body["full_name"], body["bio"], body["email"]) == ("Maya M. Mentee", "Hello", "maya@example.org")


@pytest.mark.parametrize("email", ["not-an-email", "", "a@b@example.org", "x" * 250 + "@example.org"])
def test_a_bad_address_is_a_400_naming_the_field_and_asks_nothing(ask, email):
    response = ask({"email": email})

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert not EmailChange.objects.exists()
    assert mail.outbox == []


def test_asking_again_replaces_the_pending_change_and_its_link(ask, confirm):
    ask({"email": "first@example.org"})
    first = email_change_token("first@example.org")
    ask({"email": "second@example.org"})

    assert confirm(first).json() == INVALID
    assert EmailChange.objects.get().email == "second@example.org"
    assert confirm(email_change_token("second@example.org")).json()["email"] == "second@example.org"


def test_following_the_link_changes_the_address_and_resets_then_go_there(ask, confirm, mentee):
    ask({"email": "maya.new@example.org"})

    response = confirm(email_change_token("maya.new@example.org"))

    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["email"], body["email_pending"]) == ("maya", "maya.new@example.org", None)
    assert body["role"] == "mentee" and "skills" in body  # the /me/ representation
    mentee.refresh_from_db()
    assert mentee.email == "maya.new@example.org"
    assert not EmailChange.objects.exists()

    mail.outbox.clear()
    assert not reset_password(asked_at="maya@example.org")  # the old address is no longer the account's
    assert reset_password(asked_at="maya.new@example.org")
    assert Client().login(request=HttpRequest(), username="maya", password=NEW_PASSWORD)  # the lockout needs one


def test_confirming_signs_no_one_in(ask, anon):
    ask({"email": "maya.new@example.org"})

    assert anon.post(CONFIRM, {"token": email_change_token("maya.new@example.org")}, format="json").status_code == 200
    assert anon.get(ME).status_code == 401


def test_a_link_works_once(ask, confirm):
    ask({"email": "maya.new@example.org"})
    token = email_change_token("maya.new@example.org")
    assert confirm(token).status_code == 200

    again = confirm(token)

    assert again.status_code == 400
    assert again.json() == INVALID


def test_an_unknown_token_is_an_invalid_link(confirm):
    response = confirm("made-up")

    assert response.status_code == 400
    assert response.json() == INVALID


def test_an_expired_link_is_refused_and_nothing_reads_as_pending(ask, confirm, mentee, mentee_client, settings):
    settings.SIGNUP_CONFIRM_HOURS = 48
    ask({"email": "maya.new@example.org"})
    EmailChange.objects.update(created_at=timezone.now() - dt.timedelta(hours=48, minutes=1))

    response = confirm(email_change_token("maya.new@example.org"))

    assert response.status_code == 400
    assert response.json() == INVALID
    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"
    assert mentee_client.get(ME).json()["email_pending"] is None


def test_a_link_just_inside_its_hours_still_works(ask, confirm, settings):
    settings.SIGNUP_CONFIRM_HOURS = 2
    ask({"email": "maya.new@example.org"})
    EmailChange.objects.update(created_at=timezone.now() - dt.timedelta(hours=1, minutes=59))

    assert confirm(email_change_token("maya.new@example.org")).status_code == 200


def test_an_address_taken_meanwhile_is_a_409_and_changes_nothing(ask, confirm, mentee):
    ask({"email": "maya.new@example.org"})
    MentorFactory(username="mo", email="MAYA.NEW@example.org")

    response = confirm(email_change_token("maya.new@example.org"))

    assert response.status_code == 409
    assert "belongs to another account" in response.json()["detail"]
    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"


def test_a_change_to_another_accounts_address_cannot_be_confirmed(confirm, mentee):
    """No link goes there, but the change is stored all the same: even its token would not take the address."""
    MenteeFactory(username="nora", email="nora@example.org")
    EmailChangeFactory(user=mentee, email="nora@example.org", token="a-token-no-one-was-sent")

    assert confirm("a-token-no-one-was-sent").status_code == 409
    assert User.objects.filter(email__iexact="nora@example.org").count() == 1


def test_an_admin_changes_their_address_the_same_way(admin_client_api, admin_user, anon):
    admin_client_api.patch(ME, {"email": "ada.new@example.org", "current_password": PASSWORD}, format="json")
    change = EmailChange.objects.get(user=admin_user)
    change.token_digest = EmailChange.digest_of("admins-token")
    change.save()

    response = anon.post(CONFIRM, {"token": "admins-token"}, format="json")

    assert response.status_code == 200
    assert response.json()["email"] == "ada.new@example.org"
    assert response.json()["is_program_admin"] is True


def test_choosing_a_new_password_through_the_reset_link_cancels_a_pending_change(ask, confirm):
    """The notice tells the owner of the current address to reset the password if it was not them: doing so must
    stop whoever asked for the change (with a stolen password) from finishing it."""
    ask({"email": "thief@example.org"})
    token = email_change_token("thief@example.org")
    assert reset_password(asked_at="maya@example.org")

    assert confirm(token).json() == INVALID
    assert User.objects.get(username="maya").email == "maya@example.org"


def test_choosing_a_new_password_through_the_reset_link_stops_the_old_api_token(anon, mentee):
    token = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json").json()["token"]
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anon.get("/api/v1/me/").status_code == 200

    assert reset_password(asked_at="maya@example.org")

    assert anon.get("/api/v1/me/").status_code == 401


def test_unknown_fields_and_a_missing_token_are_named(anon):
    response = anon.post(CONFIRM, {"email": "x@example.org"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"token", "email"}


# --- The current password ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (None, "Give your current password to change your email address."),
        ("", "Give your current password to change your email address."),  # the profile form's empty field
        ("not-the-password", "That is not your current password."),
    ],
    ids=["missing", "blank", "wrong"],
)
def test_a_new_address_needs_the_current_password_and_without_it_nothing_changes(
    mentee_client, mentee, password, message
):
    """A stolen session or API token alone must not move the account to an address from where a password reset
    takes it."""
    body = {"email": "thief@example.org", "full_name": "Not Maya"}
    if password is not None:
        body["current_password"] = password

    response = mentee_client.patch(ME, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"current_password": [message]}
    assert not EmailChange.objects.exists()
    assert mail.outbox == []
    mentee.refresh_from_db()
    assert (mentee.email, mentee.full_name) == ("maya@example.org", "Maya Mentee")  # the whole PATCH was refused


def test_a_stolen_api_token_cannot_change_the_address(anon, mentee):
    key = anon.post("/api/v1/auth/token/", {"username": "maya", "password": PASSWORD}, format="json").json()["token"]
    thief = APIClient()
    thief.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = thief.patch(ME, {"email": "thief@example.org"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["current_password"]
    assert not EmailChange.objects.exists()


def test_an_imported_participant_without_a_password_cannot_change_the_address_until_they_choose_one(mentee):
    mentee.set_unusable_password()
    mentee.save()
    client = APIClient()
    client.force_authenticate(mentee)

    for password in ("", PASSWORD, mentee.password):
        body = {"email": "new@example.org", "current_password": password}
        assert client.patch(ME, body, format="json").status_code == 400


def test_other_fields_need_no_password_and_a_password_sent_with_them_is_ignored(mentee_client, mentee):
    plain = mentee_client.patch(ME, {"full_name": "Maya M.", "bio": "Hi"}, format="json")
    with_form = mentee_client.patch(ME, {"full_name": "Maya M. M.", "current_password": ""}, format="json")
    with_wrong = mentee_client.patch(ME, {"full_name": "Maya", "current_password": "whatever-it-is"}, format="json")

    assert plain.status_code == with_form.status_code == with_wrong.status_code == 200
    mentee.refresh_from_db()
    assert mentee.full_name == "Maya"


def test_the_current_address_in_another_case_needs_no_password(mentee_client):
    """The profile form sends the address it shows with every save."""
    response = mentee_client.patch(ME, {"email": "MAYA@example.org", "full_name": "Maya M."}, format="json")

    assert response.status_code == 200
    assert response.json()["full_name"] == "Maya M."
