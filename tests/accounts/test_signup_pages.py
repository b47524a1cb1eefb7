"""The sign-up pages: "check your email", and the emailed link's "finish signing up"."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import SignUp, User
from tests.factories import SignUpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    token = "a-token-from-the-email"
    SignUpFactory(email="nia@example.org", username="nia", full_name="Nia Newcomer", role="mentor", token=token)
    return token


def test_the_sign_up_form_continues_to_check_your_email_with_the_address(client):
    form = client.get("/signup/").content.decode()

    assert 'data-then="/signup/sent/#{email}"' in form  # a fragment: the address never reaches the server


def test_check_your_email_names_the_address_and_how_long_the_link_works(client, settings):
    settings.SIGNUP_CONFIRM_HOURS = 24

    page = client.get("/signup/sent/").content.decode()

    assert "Check your email" in page
    assert '<strong class="address" data-from-fragment="email">your address</strong>' in page
    assert "24 hours" in page


def test_the_link_shows_who_is_signing_up_with_the_username_to_keep_or_change(client, pending):
    response = client.get(f"/signup/confirm/{pending}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Finish signing up" in page
    assert "Nia Newcomer" in page
    assert "nia@example.org" in page
    assert "a mentor" in page
    assert 'name="username" value="nia"' in page
    assert f'name="token" value="{pending}"' in page
    assert 'data-api="/api/v1/auth/register/confirm/"' in page
    assert 'data-then="/home/"' in page
    assert "no-cache" in response["Cache-Control"]


def test_opening_the_link_alone_creates_no_account(client, pending):
    client.get(f"/signup/confirm/{pending}/")

    assert not User.objects.exists()
    assert SignUp.objects.exists()


@pytest.mark.parametrize("state", ["unknown", "expired"])
def test_a_bad_link_says_so_and_offers_to_sign_up_again(client, pending, state, settings):
    settings.SIGNUP_CONFIRM_HOURS = 48
    token = "not-a-token-we-sent" if state == "unknown" else pending
    if state == "expired":
        SignUp.objects.update(created_at=timezone.now() - dt.timedelta(hours=49))

    page = client.get(f"/signup/confirm/{token}/").content.decode()

    assert "This link is invalid or has expired" in page
    assert 'href="/signup/"' in page
    assert "Nia Newcomer" not in page
    assert 'name="token"' not in page
