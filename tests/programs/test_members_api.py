import re

import pytest
from django.core import mail

from programs.models import AdminAction, Invitation, Membership
from tests.conftest import client_for
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorshipFactory,
    ProgramAdminFactory,
    ProgramFactory,
    RequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role, Status = Membership.Role, Membership.Status
MEMBERS = "/api/v1/programs/main/members/"


@pytest.fixture
def admin(db):
    """An admin of `main`, not site staff."""
    return ProgramAdminFactory(username="adam", full_name="Adam Programadmin")


@pytest.fixture
def other_program(db):
    """A program Adam does not run, with a member."""
    program = ProgramFactory(slug="other", name="Other program", enrollment="invite")
    MembershipFactory(program=program, role=Role.MENTOR, user=UserFactory(username="bea"))
    return program


def _add(client, body, capture):
    with capture(execute=True):
        return client.post(MEMBERS, body, format="json")


def test_admins_list_their_members_by_role_status_and_words(admin, mentee, mentor):
    MembershipFactory(user=UserFactory(full_name="Pat Pending"), role=Role.MENTOR, status=Status.PENDING)

    everyone = client_for(admin).get(MEMBERS).json()
    pending = client_for(admin).get(MEMBERS, {"role": "mentor", "status": "pending"}).json()
    found = client_for(admin).get(MEMBERS, {"q": "otto"}).json()

    assert everyone["count"] == 4
    assert [m["user"]["full_name"] for m in pending["results"]] == ["Pat Pending"]
    assert [m["user"]["username"] for m in found["results"]] == ["otto"]


@pytest.mark.parametrize("query", [{"role": "boss"}, {"status": "asleep"}])
def test_a_bad_filter_is_a_400(admin, query):
    assert client_for(admin).get(MEMBERS, query).status_code == 400


def test_members_of_a_program_are_hidden_from_its_members_and_from_admins_of_other_programs(
    admin, mentee, other_program
):
    assert client_for(mentee).get(MEMBERS).status_code == 404
    assert client_for(admin).get("/api/v1/programs/other/members/").status_code == 404
    membership = Membership.objects.get(program=other_program)
    url = f"/api/v1/programs/other/members/{membership.pk}/"
    assert client_for(admin).patch(url, {"status": "removed"}, format="json").status_code == 404
    # Nor through their own program's path: another program's membership is no member of theirs.
    assert (
        client_for(admin).patch(f"{MEMBERS}{membership.pk}/", {"status": "removed"}, format="json").status_code == 404
    )
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_site_staff_manage_any_program(admin_user, other_program):
    assert client_for(admin_user).get("/api/v1/programs/other/members/").json()["count"] == 1


def test_an_existing_account_is_added_at_once_and_told(admin, django_capture_on_commit_callbacks):
    person = UserFactory(email="kim@example.org")

    response = _add(
        client_for(admin), {"email": "KIM@example.org", "role": "mentor"}, django_capture_on_commit_callbacks
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["user"]["id"]) == ("active", person.pk)
    assert [m.to for m in mail.outbox] == [["kim@example.org"]]
    assert "/programs/main/" in mail.outbox[0].body
    assert AdminAction.objects.filter(kind="member_add", actor=admin).exists()


def test_an_unknown_address_is_invited_with_a_one_time_link(admin, django_capture_on_commit_callbacks):
    response = _add(
        client_for(admin),
        {"email": "new@example.org", "role": "mentee", "full_name": "Nia New"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "invited"
    membership = Membership.objects.get(pk=response.json()["id"])
    assert membership.user.full_name == "Nia New" and not membership.user.has_usable_password()
    assert membership.invited_by == admin
    link = re.search(r"http://testserver/invitations/(\S+)/", mail.outbox[0].body)
    assert link and Invitation.objects.for_token(link.group(1)).filter(membership=membership).exists()
    assert AdminAction.objects.filter(kind="member_invite").exists()


def test_adding_someone_who_holds_that_role_is_a_409_already_member(admin, mentee, django_capture_on_commit_callbacks):
    response = _add(client_for(admin), {"email": mentee.email, "role": "mentee"}, django_capture_on_commit_callbacks)

    assert response.status_code == 409
    assert response.json()["code"] == "already_member"
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": "not-an-address", "role": "mentee"}, "email"), ({"email": "a@example.org", "role": "boss"}, "role")],
)
def test_bad_member_input_is_a_400(admin, body, field):
    response = client_for(admin).post(MEMBERS, body, format="json")

    assert response.status_code == 400 and field in response.json()


def test_an_admin_approves_a_pending_mentor(admin):
    pending = MembershipFactory(role=Role.MENTOR, status=Status.PENDING)

    response = client_for(admin).patch(f"{MEMBERS}{pending.pk}/", {"status": "active"}, format="json")

    pending.refresh_from_db()
    assert response.status_code == 200 and pending.status == Status.ACTIVE
    assert AdminAction.objects.filter(kind="member_update", details__after__status="active").exists()


def test_removing_a_member_closes_their_pending_requests_and_keeps_their_mentorships(admin, mentee, mentor):
    request = RequestFactory(mentee=MenteeFactory(), mentor=mentor)
    mentorship = MentorshipFactory(mentee=mentee, mentor=mentor)
    membership = Membership.objects.get(user=mentor, role=Role.MENTOR)

    response = client_for(admin).patch(f"{MEMBERS}{membership.pk}/", {"status": "removed"}, format="json")

    request.refresh_from_db()
    mentorship.refresh_from_db()
    assert response.status_code == 200 and response.json()["status"] == "removed"
    assert request.status == "declined"
    assert mentorship.status == "active"


def test_an_admin_cannot_set_a_capacity_below_the_active_mentorships(admin, mentor):
    MentorshipFactory(mentor=mentor)
    membership = Membership.objects.get(user=mentor, role=Role.MENTOR)

    response = client_for(admin).patch(f"{MEMBERS}{membership.pk}/", {"capacity": 0}, format="json")

    assert response.status_code == 400 and "capacity" in response.json()
    membership.refresh_from_db()
    assert membership.capacity == 2


def test_an_invitation_cannot_be_approved_before_it_is_accepted(admin):
    invited = MembershipFactory(status=Status.INVITED)

    response = client_for(admin).patch(f"{MEMBERS}{invited.pk}/", {"status": "active"}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "invitation_pending"


def test_resending_an_invitation_replaces_its_link(admin, django_capture_on_commit_callbacks):
    _add(client_for(admin), {"email": "new@example.org", "role": "mentee"}, django_capture_on_commit_callbacks)
    membership = Membership.objects.get(user__email="new@example.org")
    first = re.search(r"/invitations/(\S+)/", mail.outbox[0].body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(f"{MEMBERS}{membership.pk}/resend/")

    second = re.search(r"/invitations/(\S+)/", mail.outbox[1].body).group(1)
    assert response.status_code == 200
    assert first != second
    assert not Invitation.objects.for_token(first).exists()
    assert Invitation.objects.for_token(second).exists()


def test_resending_to_an_active_member_is_a_409_not_invited(admin, mentee):
    membership = Membership.objects.get(user=mentee)

    response = client_for(admin).post(f"{MEMBERS}{membership.pk}/resend/")

    assert response.status_code == 409 and response.json()["code"] == "not_invited"


def test_nobody_is_added_to_an_ended_cohort(admin_user, django_capture_on_commit_callbacks):
    ProgramFactory(slug="done", kind="cohort", starts_on="2020-01-01", ends_on="2020-06-30")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            "/api/v1/programs/done/members/", {"email": "late@example.org", "role": "mentee"}, format="json"
        )

    assert response.status_code == 409 and response.json()["code"] == "program_ended"
    assert mail.outbox == []


def test_removing_a_mentee_frees_the_slot_their_offer_held_in_the_directory_at_once(
    db, django_capture_on_commit_callbacks
):
    """A match round's offer holds a mentor's slot until answered; removing the mentee closes it, and the directory
    (which keeps its answers) shows the slot free on the next read."""
    from tests.conftest import client_for
    from tests.factories import AdminFactory, MenteeFactory, MentorFactory, RequestFactory

    mentor, mentee = MentorFactory(), MenteeFactory()
    mentor.memberships.filter(role="mentor").update(capacity=1)
    RequestFactory(mentee=mentee, mentor=mentor, origin="match_round")
    reader = client_for(MenteeFactory())

    def open_slots():  # as the directory's list shows it (a kept answer)
        listed = reader.get("/api/v1/mentors/", {"page_size": 100}).json()["results"]
        return next(m["open_slots"] for m in listed if m["id"] == mentor.pk)

    assert open_slots() == 0  # kept by the directory
    membership = mentee.memberships.get(role="mentee")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(AdminFactory()).patch(
            f"/api/v1/programs/main/members/{membership.pk}/", {"status": "removed"}, format="json"
        )

    assert response.status_code == 200, response.json()
    assert open_slots() == 1
