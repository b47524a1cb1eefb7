"""The pages of a change of address: the profile asks for the password and says a link is on its way, the emailed
link's page confirms, and the page of the link sent to the old address undoes it. The links leave their own
address (which holds the token) at once."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import EmailChange, EmailRevert, User
from tests.factories import EmailChangeFactory, EmailRevertFactory

pytestmark = pytest.mark.django_db

TOKEN = "a-token-from-the-email-change"


def text_of(page: str) -> str:
    """What a reader sees: the page without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace(" .", ".").replace(" :", ":")


@pytest.fixture
def pending(mentee):
    return EmailChangeFactory(user=mentee, email="maya.new@example.org", token=TOKEN)


def test_the_profile_says_where_the_link_went_and_keeps_the_current_address_in_the_form(client, mentee, pending):
    client.force_login(mentee)

    page = client.get("/profile/").content.decode()

    assert "We sent a link to maya.new@example.org to confirm your new address." in text_of(page)
    assert 'name="email" type="email" value="maya@example.org"' in page


def test_the_profile_says_nothing_of_an_expired_change(client, mentee, pending):
    EmailChange.objects.update(created_at=timezone.now() - dt.timedelta(days=30))
    client.force_login(mentee)

    page = client.get("/profile/").content.decode()

    assert "We sent a link" not in page
    assert "maya.new@example.org" not in page


def test_the_profile_asks_for_the_current_password_beside_the_address(client, mentee):
    client.force_login(mentee)

    page = client.get("/profile/").content.decode()

    assert 'name="current_password" type="password" autocomplete="current-password"' in page
    assert "Needed only to change your email address." in page
    assert 'data-error-for="current_password"' in page


def test_the_link_redirects_at_once_to_a_page_without_the_token(client, pending):
    response = client.get(f"/account/email/confirm/{TOKEN}/")

    assert response.status_code == 302
    assert response["Location"] == "/account/email/confirm/"
    assert "no-cache" in response["Cache-Control"]


def test_the_link_shows_the_new_address_and_a_button_that_confirms_through_the_api(client, pending):
    response = client.get(f"/account/email/confirm/{TOKEN}/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [("/account/email/confirm/", 302)]
    assert response.status_code == 200
    assert "Confirm your new address maya.new@example.org:" in text_of(page)
    assert f'name="token" value="{TOKEN}"' in page
    assert 'data-api="/api/v1/me/email/confirm/"' in page
    assert "no-cache" in response["Cache-Control"]
    assert "maya@example.org" not in page  # the current address is not the link holder's business


def test_after_confirming_the_owner_goes_to_the_profile_and_anyone_else_to_sign_in(client, mentee, outsider, pending):
    url = f"/account/email/confirm/{TOKEN}/"

    assert 'data-then="/accounts/login/?email=confirmed"' in client.get(url, follow=True).content.decode()
    client.force_login(outsider)
    assert 'data-then="/accounts/login/?email=confirmed"' in client.get(url, follow=True).content.decode()
    client.force_login(mentee)
    assert 'data-then="/profile/?email=confirmed"' in client.get(url, follow=True).content.decode()


def test_where_the_button_leads_says_the_address_is_confirmed(client, mentee):
    assert "Your new email address is confirmed." in client.get("/accounts/login/?email=confirmed").content.decode()
    client.force_login(mentee)
    assert "Your new email address is confirmed." in client.get("/profile/?email=confirmed").content.decode()


def test_opening_the_link_alone_changes_nothing(client, mentee, pending):
    client.get(f"/account/email/confirm/{TOKEN}/", follow=True)

    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"
    assert EmailChange.objects.exists()


@pytest.mark.parametrize("state", ["unknown", "expired"])
def test_a_bad_link_says_so_and_offers_to_ask_again(client, pending, state, settings):
    settings.SIGNUP_CONFIRM_HOURS = 48
    token = "not-a-token-we-sent" if state == "unknown" else TOKEN
    if state == "expired":
        EmailChange.objects.update(created_at=timezone.now() - dt.timedelta(hours=49))

    page = client.get(f"/account/email/confirm/{token}/", follow=True).content.decode()

    assert "This link is invalid or has expired" in page
    assert 'href="/profile/"' in page
    assert "maya.new@example.org" not in page
    assert 'name="token"' not in page


def test_the_confirmation_page_without_a_link_followed_in_this_browser_is_an_invalid_link(client, pending):
    page = client.get("/account/email/confirm/").content.decode()

    assert "This link is invalid or has expired" in page
    assert "maya.new@example.org" not in page


# --- Undoing it from the old address ----------------------------------------------------------------------------

REVERT_TOKEN = "a-token-from-the-email-revert"


@pytest.fixture
def changed(mentee):
    """Maya's account was moved to thief@example.org; her old address got the link back."""
    User.objects.filter(pk=mentee.pk).update(email="thief@example.org")
    return EmailRevertFactory(user=mentee, email="maya@example.org", token=REVERT_TOKEN)


def test_the_undo_link_redirects_at_once_to_a_page_without_the_token(client, changed):
    response = client.get(f"/account/email/revert/{REVERT_TOKEN}/")

    assert response.status_code == 302
    assert response["Location"] == "/account/email/revert/"
    assert "no-cache" in response["Cache-Control"]


def test_the_undo_page_names_both_addresses_and_what_undoing_does_and_its_button_posts_to_the_api(client, changed):
    response = client.get(f"/account/email/revert/{REVERT_TOKEN}/", follow=True)

    page = response.content.decode()
    text = text_of(page)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "Undo the change of address" in text
    assert "Your account's email address was changed to thief@example.org." in text
    assert "Undo it to give the account back maya@example.org." in text
    assert "signs the account out in every browser" in text
    assert "choose a new password" in text
    assert f'name="token" value="{REVERT_TOKEN}"' in page
    assert 'data-api="/api/v1/me/email/revert/"' in page
    assert 'data-then="/accounts/password-reset/?email=reverted"' in page


def test_opening_the_undo_link_alone_changes_nothing(client, mentee, changed):
    maya = Client()
    maya.force_login(mentee)

    client.get(f"/account/email/revert/{REVERT_TOKEN}/", follow=True)

    mentee.refresh_from_db()
    assert mentee.email == "thief@example.org"
    assert maya.get("/home/").status_code == 200


def test_after_undoing_the_reset_page_says_what_was_done_and_to_choose_a_new_password(client):
    page = text_of(client.get("/accounts/password-reset/?email=reverted").content.decode())

    assert "The change of address is undone" in page
    assert "every browser signed in to it is signed out" in page
    assert "choose a new one now" in page
    assert "undone" not in text_of(client.get("/accounts/password-reset/").content.decode())


@pytest.mark.parametrize("state", ["unknown", "expired", "none"])
def test_a_bad_undo_link_says_so_and_offers_a_password_reset(client, changed, state, settings):
    settings.EMAIL_REVERT_DAYS = 7
    if state == "expired":
        EmailRevert.objects.update(created_at=timezone.now() - dt.timedelta(days=8))
    url = {
        "unknown": "/account/email/revert/not-a-token-we-sent/",
        "expired": f"/account/email/revert/{REVERT_TOKEN}/",
        "none": "/account/email/revert/",  # no link followed in this browser
    }[state]

    page = client.get(url, follow=True).content.decode()

    assert "This link is invalid or has expired" in page
    assert "7 days" in page
    assert 'href="/accounts/password-reset/"' in page
    assert "thief@example.org" not in page
    assert 'name="token"' not in page
