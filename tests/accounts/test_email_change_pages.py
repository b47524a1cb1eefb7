"""The pages of a change of address: the profile says a link is on its way, and the emailed link's page confirms."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import EmailChange
from tests.factories import EmailChangeFactory

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


def test_the_link_shows_the_new_address_and_a_button_that_confirms_through_the_api(client, pending):
    response = client.get(f"/account/email/confirm/{TOKEN}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm your new address maya.new@example.org:" in text_of(page)
    assert f'name="token" value="{TOKEN}"' in page
    assert 'data-api="/api/v1/me/email/confirm/"' in page
    assert "no-cache" in response["Cache-Control"]
    assert "maya@example.org" not in page  # the current address is not the link holder's business


def test_after_confirming_the_owner_goes_to_the_profile_and_anyone_else_to_sign_in(client, mentee, outsider, pending):
    url = f"/account/email/confirm/{TOKEN}/"

    assert 'data-then="/accounts/login/?email=confirmed"' in client.get(url).content.decode()
    client.force_login(outsider)
    assert 'data-then="/accounts/login/?email=confirmed"' in client.get(url).content.decode()
    client.force_login(mentee)
    assert 'data-then="/profile/?email=confirmed"' in client.get(url).content.decode()


def test_where_the_button_leads_says_the_address_is_confirmed(client, mentee):
    assert "Your new email address is confirmed." in client.get("/accounts/login/?email=confirmed").content.decode()
    client.force_login(mentee)
    assert "Your new email address is confirmed." in client.get("/profile/?email=confirmed").content.decode()


def test_opening_the_link_alone_changes_nothing(client, mentee, pending):
    client.get(f"/account/email/confirm/{TOKEN}/")

    mentee.refresh_from_db()
    assert mentee.email == "maya@example.org"
    assert EmailChange.objects.exists()


@pytest.mark.parametrize("state", ["unknown", "expired"])
def test_a_bad_link_says_so_and_offers_to_ask_again(client, pending, state, settings):
    settings.SIGNUP_CONFIRM_HOURS = 48
    token = "not-a-token-we-sent" if state == "unknown" else TOKEN
    if state == "expired":
        EmailChange.objects.update(created_at=timezone.now() - dt.timedelta(hours=49))

    page = client.get(f"/account/email/confirm/{token}/").content.decode()

    assert "This link is invalid or has expired" in page
    assert 'href="/profile/"' in page
    assert "maya.new@example.org" not in page
    assert 'name="token"' not in page
