import datetime as dt

import pytest
from django.utils import timezone

from programs.models import AdminAction, Membership, Program
from tests.conftest import client_for
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    ProgramAdminFactory,
    ProgramFactory,
    RequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role, Status = Membership.Role, Membership.Status


def _join(user, slug, **body):
    return client_for(user).post(f"/api/v1/programs/{slug}/join/", body, format="json")


def test_the_list_holds_my_programs_and_open_ones_but_not_closed_ones_i_am_not_in(mentee):
    ProgramFactory(slug="spring", name="Spring cohort", enrollment="invite")
    ProgramFactory(slug="open-circle", name="Open circle")
    mine = ProgramFactory(slug="secret", name="Secret", enrollment="closed")
    MembershipFactory(user=mentee, program=mine, role=Role.MENTEE)

    response = client_for(mentee).get("/api/v1/programs/")

    slugs = [p["slug"] for p in response.json()["results"]]
    assert response.status_code == 200
    assert sorted(slugs) == ["main", "open-circle", "secret"]
    main = next(p for p in response.json()["results"] if p["slug"] == "main")
    assert main["my_roles"] == ["mentee"]


def test_site_staff_see_every_program(admin_user):
    ProgramFactory(slug="hidden", enrollment="closed")

    slugs = [p["slug"] for p in client_for(admin_user).get("/api/v1/programs/").json()["results"]]

    assert "hidden" in slugs


def test_site_staff_create_a_program_and_it_is_recorded(admin_user):
    body = {"slug": "reverse", "name": "Reverse mentoring", "kind": "cohort", "starts_on": "2030-01-01"}
    body["ends_on"] = "2030-06-30"

    response = client_for(admin_user).post("/api/v1/programs/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "reverse"
    assert AdminAction.objects.filter(kind="program_create", program__slug="reverse", actor=admin_user).exists()


def test_a_taken_slug_is_a_400_naming_slug(admin_user):
    ProgramFactory(slug="taken")

    response = client_for(admin_user).post("/api/v1/programs/", {"slug": "taken", "name": "Again"}, format="json")

    assert response.status_code == 400
    assert "slug" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "c", "name": "Cohort", "kind": "cohort"}, "starts_on"),
        ({"slug": "c", "name": "C", "kind": "cohort", "starts_on": "2030-02-01", "ends_on": "2030-01-01"}, "ends_on"),
        ({"slug": "not a slug", "name": "X"}, "slug"),
        ({"slug": "switch", "name": "X"}, "slug"),
        ({"slug": "c", "name": "X", "mentee_limit": 0}, "mentee_limit"),
        ({"slug": "c", "name": "X", "default_weights": {"skills": 0, "industry": 0, "goals": 0}}, "default_weights"),
        ({"slug": "c", "name": "X", "colour": "blue"}, "colour"),
        ({"name": "X"}, "slug"),
    ],
)
def test_bad_program_input_is_a_400_naming_the_field(admin_user, body, field):
    response = client_for(admin_user).post("/api/v1/programs/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Program.objects.filter(slug="c").exists()


def test_only_site_staff_create_programs():
    admin_of_main = ProgramAdminFactory()

    response = client_for(admin_of_main).post("/api/v1/programs/", {"slug": "mine", "name": "Mine"}, format="json")

    assert response.status_code == 403


def test_a_program_admin_edits_their_program_and_a_member_may_not(mentee):
    admin = ProgramAdminFactory()

    refused = client_for(mentee).patch("/api/v1/programs/main/", {"mentee_limit": 3}, format="json")
    response = client_for(admin).patch("/api/v1/programs/main/", {"mentee_limit": 3}, format="json")

    assert refused.status_code == 403
    assert response.status_code == 200
    assert Program.objects.default().mentee_limit == 3
    assert AdminAction.objects.filter(kind="program_update", details={"mentee_limit": 3}).exists()


def test_a_programs_format_changes_while_nobody_was_paired_or_asked_there():
    admin = ProgramAdminFactory()
    MentorFactory()  # mentors and mentees of one-on-one programs are at home in group ones

    response = client_for(admin).patch("/api/v1/programs/main/", {"format": "group"}, format="json")

    assert response.status_code == 200
    assert Program.objects.default().format == "group"


@pytest.mark.parametrize("made", ["mentorship", "pending_request"])
def test_a_programs_format_is_fixed_once_people_were_paired_or_asked_there(made):
    admin = ProgramAdminFactory()
    MentorshipFactory() if made == "mentorship" else RequestFactory()

    response = client_for(admin).patch("/api/v1/programs/main/", {"format": "group"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["format"]
    assert Program.objects.default().format == "one_on_one"


def test_a_program_with_mentors_and_mentees_does_not_become_a_peer_program():
    admin = ProgramAdminFactory()
    MenteeFactory()
    MembershipFactory(role=Role.MENTOR, status=Status.LEFT)  # gone: not in the way

    response = client_for(admin).patch("/api/v1/programs/main/", {"format": "peer"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"format": ["This program has mentees; a peer program takes peers."]}


def test_an_admin_of_one_program_cannot_see_or_edit_another_closed_one():
    other = ProgramFactory(slug="other", enrollment="closed")
    admin = ProgramAdminFactory()

    assert client_for(admin).get("/api/v1/programs/other/").status_code == 404
    assert client_for(admin).patch("/api/v1/programs/other/", {"name": "Mine now"}, format="json").status_code == 404
    other.refresh_from_db()
    assert other.name != "Mine now"


def test_joining_an_open_program_as_a_mentee_is_active_at_once():
    user = UserFactory()

    response = _join(user, "main", role="mentee")

    assert response.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "program": "main",
        "role": "mentee",
        "status": "active",
        "capacity": 2,
        "accepting_requests": True,
    }


def test_a_mentor_waits_for_approval_when_the_program_says_so():
    ProgramFactory(slug="careful", mentor_approval=True)

    response = _join(UserFactory(), "careful", role="mentor", capacity=3)

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["capacity"]) == ("pending", 3)


def test_joining_twice_in_a_role_is_a_409_already_member(mentee):
    response = _join(mentee, "main", role="mentee")

    assert response.status_code == 409
    assert response.json()["code"] == "already_member"


def test_a_mentee_may_also_join_as_a_mentor(mentee):
    assert _join(mentee, "main", role="mentor").status_code == 201
    assert set(Membership.objects.filter(user=mentee).values_list("role", flat=True)) == {"mentee", "mentor"}


@pytest.mark.parametrize("enrollment", ["closed", "invite"])
def test_joining_a_closed_or_invite_only_program_is_a_403(enrollment):
    ProgramFactory(slug="shut", enrollment=enrollment)

    response = _join(UserFactory(), "shut", role="mentee")

    assert response.status_code == 403
    assert not Membership.objects.filter(program__slug="shut").exists()


def test_joining_an_ended_cohort_is_a_409_program_ended():
    today = timezone.localdate()
    ProgramFactory(
        slug="autumn", kind="cohort", starts_on=today - dt.timedelta(days=90), ends_on=today - dt.timedelta(days=1)
    )

    response = _join(UserFactory(), "autumn", role="mentee")

    assert response.status_code == 409
    assert response.json()["code"] == "program_ended"


@pytest.mark.parametrize(
    "body", [{"role": "admin"}, {"role": "boss"}, {}, {"role": "mentor", "capacity": -1}, {"role": "mentee", "x": 1}]
)
def test_bad_join_input_is_a_400(body):
    response = _join(UserFactory(), "main", **body)

    assert response.status_code == 400


def test_a_peer_program_is_joined_as_a_peer_only():
    ProgramFactory(slug="peers", format="peer")

    response = _join(UserFactory(), "peers", role="mentee")

    assert response.status_code == 400
    assert "role" in response.json()


def test_joining_a_program_that_does_not_exist_is_a_404():
    assert _join(UserFactory(), "nowhere", role="mentee").status_code == 404


def test_i_read_my_memberships_in_a_program(mentor):
    response = client_for(mentor).get("/api/v1/programs/main/membership/")

    assert response.status_code == 200
    assert [(m["role"], m["status"]) for m in response.json()] == [("mentor", "active")]


def test_a_mentor_changes_their_capacity_and_accepting(mentor):
    response = client_for(mentor).patch(
        "/api/v1/programs/main/membership/", {"capacity": 4, "accepting_requests": False}, format="json"
    )

    assert response.status_code == 200
    membership = Membership.objects.get(user=mentor, role="mentor")
    assert (membership.capacity, membership.accepting_requests) == (4, False)


def test_a_capacity_below_the_active_mentorships_is_a_400_naming_capacity(mentor):
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor)

    response = client_for(mentor).patch("/api/v1/programs/main/membership/", {"capacity": 1}, format="json")

    assert response.status_code == 400
    assert "capacity" in response.json()
    assert Membership.objects.get(user=mentor, role="mentor").capacity == 2


def test_someone_with_several_roles_names_the_one_to_change(mentee):
    MembershipFactory(user=mentee, role=Role.MENTOR)

    unnamed = client_for(mentee).patch("/api/v1/programs/main/membership/", {"capacity": 3}, format="json")
    named = client_for(mentee).patch(
        "/api/v1/programs/main/membership/", {"role": "mentor", "capacity": 3}, format="json"
    )

    assert unnamed.status_code == 400 and "role" in unnamed.json()
    assert named.status_code == 200 and named.json()["capacity"] == 3


def test_leaving_closes_my_pending_requests_in_that_program_only(mentee, mentor):
    here = RequestFactory(mentee=mentee, mentor=mentor)
    elsewhere_program = ProgramFactory(slug="elsewhere")
    MembershipFactory(user=mentee, program=elsewhere_program, role=Role.MENTEE)
    MembershipFactory(user=mentor, program=elsewhere_program, role=Role.MENTOR)
    elsewhere = RequestFactory(mentee=mentee, mentor=mentor, program=elsewhere_program)

    response = client_for(mentee).patch("/api/v1/programs/main/membership/", {"status": "left"}, format="json")

    here.refresh_from_db()
    elsewhere.refresh_from_db()
    assert response.status_code == 200 and response.json()["status"] == "left"
    assert (here.status, elsewhere.status) == ("withdrawn", "pending")


def test_a_mentor_leaving_declines_the_requests_waiting_for_them(mentee, mentor):
    waiting = RequestFactory(mentee=mentee, mentor=mentor)
    mentorship = MentorshipFactory(mentor=mentor)

    client_for(mentor).patch("/api/v1/programs/main/membership/", {"status": "left"}, format="json")

    waiting.refresh_from_db()
    mentorship.refresh_from_db()
    assert (waiting.status, waiting.decline_reason) == ("declined", "unavailable")
    assert mentorship.status == "active"


def test_someone_in_no_role_there_has_no_membership_to_change():
    response = client_for(UserFactory()).patch("/api/v1/programs/main/membership/", {"capacity": 1}, format="json")

    assert response.status_code == 404


def test_a_mentor_factory_makes_a_mentor_of_main():
    """The factories these tests stand on: a mentor holds the mentor role in `main`."""
    assert Membership.objects.filter(user=MentorFactory(), program__slug="main", role="mentor").exists()
    assert Membership.objects.filter(user=MenteeFactory(), program__slug="main", role="mentee").exists()
