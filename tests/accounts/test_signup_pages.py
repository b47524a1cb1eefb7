"""The sign-up pages: "check your email", and the emailed link's "finish signing up"."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from accounts.models import SignUp, User
from tests.factories import SignUpFactory

pytestmark = pytest.mark.django_db


PASSWORD_AT_SIGN_UP = "a-long-unusual-secret"


@pytest.fixture
def pending():
    token = "a-token-from-the-email"
    SignUpFactory(
        email="nia@example.org",
        username="nia",
        full_name="Nia Newcomer",
        role="mentor",
        token=token,
        password=make_password(PASSWORD_AT_SIGN_UP),
    )
    return token


def test_the_sign_up_form_continues_to_check_your_email_with_the_address(client):
    form = client.get("/signup/").content.decode()

    assert 'data-then="/signup/sent/#{email}"' in form  # a fragment: the address never reaches the server


def test_the_sign_up_form_passes_on_the_program_a_link_names(client):
    form = client.get("/signup/?role=mentor&program=spring-cohort").content.decode()
    plain = client.get("/signup/").content.decode()
    crafted = client.get("/signup/", {"program": '"><script>'}).content.decode()

    assert '<input type="hidden" name="program" value="spring-cohort">' in form
    assert 'name="role" value="mentor" checked' in form
    assert 'name="program"' not in plain
    assert 'name="role" value="mentee" checked' in plain
    assert 'name="program"' not in crafted


def test_check_your_email_names_the_address_and_how_long_the_link_works(client, settings):
    settings.SIGNUP_CONFIRM_HOURS = 24

    page = client.get("/signup/sent/").content.decode()

    assert "Check your email" in page
    assert '<strong class="address" data-from-fragment="email">your address</strong>' in page
    assert "24 hours" in page


def test_the_link_puts_its_token_aside_and_redirects_at_once_to_a_page_without_it(client, pending):
    """A token in a path lands in access logs and browser histories: the link's own address is left at once."""
    response = client.get(f"/signup/confirm/{pending}/")

    assert response.status_code == 302
    assert response["Location"] == "/signup/confirm/"
    assert pending not in response["Location"]
    assert "no-cache" in response["Cache-Control"]
    assert not User.objects.exists()


def test_the_page_shows_who_is_signing_up_and_asks_for_the_username_and_the_password(client, pending):
    response = client.get(f"/signup/confirm/{pending}/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [("/signup/confirm/", 302)]
    assert response.status_code == 200
    assert "Finish signing up" in page
    assert "Nia Newcomer" in page
    assert "nia@example.org" in page
    assert "a mentor" in page
    assert 'name="username" value="nia"' in page
    assert 'name="password" type="password" autocomplete="current-password" required data-keep-empty' in page
    assert "The one you chose when you signed up" in page
    assert f'name="token" value="{pending}"' in page  # in the form, which posts it: not in any address
    assert 'data-api="/api/v1/auth/register/confirm/"' in page
    assert 'data-then="/home/"' in page
    assert "no-cache" in response["Cache-Control"]


def test_opening_the_link_alone_creates_no_account(client, pending):
    client.get(f"/signup/confirm/{pending}/", follow=True)

    assert not User.objects.exists()
    assert SignUp.objects.exists()


def test_the_page_without_a_link_followed_in_this_browser_is_an_invalid_link(client, pending):
    page = client.get("/signup/confirm/").content.decode()

    assert "This link is invalid or has expired" in page
    assert "Nia Newcomer" not in page


def test_a_second_browser_replaying_the_link_gets_no_session(client, pending):
    """Whoever reads the link in a log and opens it before or after its owner is never signed in by it."""
    thief = Client()
    thief.get(f"/signup/confirm/{pending}/", follow=True)
    created = thief.post("/api/v1/auth/register/confirm/", {"token": pending}, content_type="application/json")
    assert created.status_code == 201  # the account is made, with its owner's password and address
    assert thief.get("/api/v1/me/").status_code == 401
    assert "_auth_user_id" not in thief.session

    owner = Client()
    assert owner.login(request=HttpRequest(), username="nia", password=PASSWORD_AT_SIGN_UP)
    replay = thief.get(f"/signup/confirm/{pending}/", follow=True).content.decode()
    assert "This link is invalid or has expired" in replay
    assert thief.get("/home/").status_code == 302


def test_after_its_owner_finished_a_replayed_link_shows_nothing_and_signs_no_one_in(client, pending):
    client.get(f"/signup/confirm/{pending}/", follow=True)
    finish = {"token": pending, "password": PASSWORD_AT_SIGN_UP}
    assert client.post("/api/v1/auth/register/confirm/", finish, content_type="application/json").status_code == 201
    assert client.get("/home/").status_code == 200  # the owner, with the password, is signed in

    replayer = Client()
    page = replayer.get(f"/signup/confirm/{pending}/", follow=True).content.decode()

    assert "This link is invalid or has expired" in page
    assert "Nia Newcomer" not in page
    assert replayer.get("/home/").status_code == 302
    assert "_auth_user_id" not in replayer.session


@pytest.mark.parametrize("state", ["unknown", "expired", "too-long"])
def test_a_bad_link_says_so_and_offers_to_sign_up_again(client, pending, state, settings):
    settings.SIGNUP_CONFIRM_HOURS = 48
    token = {"unknown": "not-a-token-we-sent", "expired": pending, "too-long": "x" * 101}[state]
    if state == "expired":
        SignUp.objects.update(created_at=timezone.now() - dt.timedelta(hours=49))

    page = client.get(f"/signup/confirm/{token}/", follow=True).content.decode()

    assert "This link is invalid or has expired" in page
    assert 'href="/signup/"' in page
    assert "Nia Newcomer" not in page
    assert 'name="token"' not in page
