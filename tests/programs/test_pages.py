import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Membership
from programs.selectors import CURRENT_PROGRAM_SESSION_KEY
from tests.factories import MembershipFactory, ProgramAdminFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_programs_lists_mine_and_the_open_ones(mentee):
    ProgramFactory(slug="circle", name="Open circle")
    ProgramFactory(slug="secret", name="Secret society", enrollment="closed")

    body = _signed_in(mentee).get(reverse("program-list-page")).content.decode()

    assert "Mentoring program" in body and "Open circle" in body
    assert "Secret society" not in body


def test_a_programs_page_offers_the_roles_one_may_join(mentee):
    body = _signed_in(mentee).get(reverse("program-page", kwargs={"slug": "main"})).content.decode()

    assert "Join as mentor" in body
    assert "Join as mentee" not in body  # held already


def test_visiting_a_program_i_am_in_makes_it_current(mentee):
    MembershipFactory(user=mentee, program=ProgramFactory(slug="spring"))
    client = _signed_in(mentee)

    client.get(reverse("program-page", kwargs={"slug": "spring"}))

    assert client.session[CURRENT_PROGRAM_SESSION_KEY] == "spring"


def test_the_switcher_shows_only_for_people_in_several_programs(mentee):
    client = _signed_in(mentee)
    assert 'id="program-switcher"' not in client.get(reverse("program-list-page")).content.decode()

    MembershipFactory(user=mentee, program=ProgramFactory(slug="spring", name="Spring"))

    assert 'id="program-switcher"' in client.get(reverse("program-list-page")).content.decode()


def test_switching_sets_the_current_program_and_goes_back(mentee):
    MembershipFactory(user=mentee, program=ProgramFactory(slug="spring"))
    client = _signed_in(mentee)

    response = client.post(reverse("program-switch"), {"program": "spring", "next": "/mentors/"})

    assert response.status_code == 302 and response["Location"] == "/mentors/"
    assert client.session[CURRENT_PROGRAM_SESSION_KEY] == "spring"


def test_switching_never_sends_one_to_another_site_nor_into_a_program_one_is_not_in(mentee):
    ProgramFactory(slug="elsewhere")
    client = _signed_in(mentee)

    response = client.post(reverse("program-switch"), {"program": "elsewhere", "next": "https://evil.example/"})

    assert response["Location"] == reverse("home")
    assert CURRENT_PROGRAM_SESSION_KEY not in client.session


def test_participants_and_settings_are_for_the_programs_admins_only(mentee):
    admin = ProgramAdminFactory()
    other = ProgramFactory(slug="other")
    for page in ("program-participants-page", "program-settings-page"):
        assert _signed_in(admin).get(reverse(page, kwargs={"slug": "main"})).status_code == 200
        assert _signed_in(admin).get(reverse(page, kwargs={"slug": other.slug})).status_code == 404
        assert _signed_in(mentee).get(reverse(page, kwargs={"slug": "main"})).status_code == 404


def test_participants_filter_by_role_and_status(mentee, mentor):
    MembershipFactory(user=UserFactory(full_name="Pat Pending"), role=Membership.Role.MENTOR, status="pending")
    client = _signed_in(ProgramAdminFactory())

    body = client.get(reverse("program-participants-page", kwargs={"slug": "main"}), {"status": "pending"}).content

    assert b"Pat Pending" in body and b"Otto Mentor" not in body and b"Approve" in body


def test_the_home_checklist_links_to_the_next_steps(mentee):
    body = _signed_in(mentee).get(reverse("home")).content.decode()

    assert "Complete your profile" in body and "Set a goal" in body and "Ask a mentor" in body
    assert 'aria-label="Progress of your profile"' in body
