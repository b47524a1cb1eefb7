import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from programs.models import Invitation, Membership
from tests.conftest import client_for
from tests.factories import ProgramAdminFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(db, django_capture_on_commit_callbacks):
    """Nia is invited to the invite-only Spring cohort by its admin; returns the link's token."""
    program = ProgramFactory(slug="spring", name="Spring cohort", enrollment="invite")
    admin = ProgramAdminFactory(membership__program=program)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin).post(
            "/api/v1/programs/spring/members/", {"email": "nia@example.org", "role": "mentee"}, format="json"
        )
    return re.search(r"/invitations/(\S+)/", mail.outbox[-1].body).group(1)


def _accept(client, token, password="a-long-unusual-secret"):
    return client.post(reverse("api-invitation-accept"), {"token": token, "password": password}, format="json")


def test_the_link_puts_its_token_in_the_session_and_goes_on_to_a_page_without_it(invited):
    browser = Client()

    response = browser.get(f"/invitations/{invited}/")
    page = browser.get(response["Location"])

    assert response.status_code == 302 and response["Location"] == reverse("invitation-page")
    assert invited not in response["Location"]
    assert page.status_code == 200
    assert "Spring cohort" in page.content.decode()
    assert Membership.objects.get(user__email="nia@example.org").status == "invited"  # showing changes nothing


def test_an_invited_person_sets_a_password_and_lands_in_the_program_signed_in(invited):
    browser = Client(enforce_csrf_checks=False)
    browser.get(f"/invitations/{invited}/")

    response = browser.post(
        reverse("api-invitation-accept"),
        {"token": invited, "password": "a-long-unusual-secret"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["program"], response.json()["status"]) == ("spring", "active")
    home = browser.get(reverse("program-page", kwargs={"slug": "spring"}))
    assert home.status_code == 200 and "Spring cohort" in home.content.decode()
    nia = Membership.objects.get(user__email="nia@example.org").user
    assert nia.check_password("a-long-unusual-secret")


def test_the_link_works_once(invited):
    first = _accept(client_for_anonymous(), invited)
    second = _accept(client_for_anonymous(), invited, password="another-long-secret")

    assert first.status_code == 200
    assert second.status_code == 400 and "token" in second.json()
    assert not Invitation.objects.exists()
    assert Membership.objects.get(user__email="nia@example.org").user.check_password("a-long-unusual-secret")


def test_a_weak_password_is_a_400_and_the_link_still_works(invited):
    weak = _accept(client_for_anonymous(), invited, password="123")

    assert weak.status_code == 400 and "password" in weak.json()
    assert _accept(client_for_anonymous(), invited).status_code == 200


def test_an_expired_link_does_not_work(invited):
    Invitation.objects.update(created_at="2000-01-01T00:00:00Z")

    response = _accept(client_for_anonymous(), invited)

    assert response.status_code == 400 and "token" in response.json()
    assert Membership.objects.get(user__email="nia@example.org").status == "invited"


def test_a_dead_link_shows_a_page_that_says_so():
    browser = Client()
    browser.get("/invitations/no-such-token/")

    page = browser.get(reverse("invitation-page"))

    assert page.status_code == 200 and "does not work" in page.content.decode()


def client_for_anonymous():
    from rest_framework.test import APIClient

    return APIClient()
