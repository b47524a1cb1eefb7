"""The program axis of the permission walks: every programs endpoint and page, by whom, on their own program and on
another one. An admin of program A acting on program B gets what someone B does not concern gets: a 404 that
tells nothing of B (unless B is open to everyone, when reading it is not a secret)."""

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Membership
from tests.conftest import client_for
from tests.factories import (
    MatchProposalFactory,
    MatchRoundFactory,
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    ProgramAdminFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
OK = "ok"  # past the checks: anything but 401, 403, 404 or a 5xx

# (route name, method, body): {persona: (on their own program A, on the other program B)}
# Personas: `admin_a` runs A only; `member_a` is a mentor in A; `staff` is site staff (in neither).
WALK = [
    ("program-detail", "GET", None, {"admin_a": (OK, 404), "member_a": (OK, 404), "staff": (OK, OK)}),
    (
        "program-detail",
        "PATCH",
        {"name": "Taken over"},
        {"admin_a": (OK, 404), "member_a": (403, 404), "staff": (OK, OK)},
    ),
    ("program-membership", "GET", None, {"admin_a": (OK, 404), "member_a": (OK, 404), "staff": (OK, OK)}),
    ("program-member-list", "GET", None, {"admin_a": (OK, 404), "member_a": (404, 404), "staff": (OK, OK)}),
    (
        "program-member-list",
        "POST",
        {"email": "axis@example.org", "role": "mentee"},
        {"admin_a": (OK, 404), "member_a": (404, 404), "staff": (OK, OK)},
    ),
    (
        "program-member-detail",
        "PATCH",
        {"capacity": 3},
        {"admin_a": (OK, 404), "member_a": (404, 404), "staff": (OK, OK)},
    ),
    ("program-member-resend", "POST", None, {"admin_a": (OK, 404), "member_a": (404, 404), "staff": (OK, OK)}),
]
# A program's directory, recommendations, rounds, import and report (their nested paths): a member reads the
# directory of their own program only; only its admins (and site staff) run its rounds. Someone who administers no
# program is refused before any program is looked up: the same 403 for every slug tells nothing either.
ADMIN_ONLY = {"admin_a": (OK, 404), "member_a": (403, 403), "staff": (OK, OK)}
WALK += [
    ("program-mentor-list", "GET", None, {"admin_a": (OK, 404), "member_a": (OK, 404), "staff": (OK, OK)}),
    ("program-mentor-detail", "GET", None, {"admin_a": (OK, 404), "member_a": (OK, 404), "staff": (OK, OK)}),
    ("program-mentor-recommended", "GET", None, {"admin_a": (403, 404), "member_a": (403, 404), "staff": (403, 403)}),
    ("program-match-round-list", "GET", None, ADMIN_ONLY),
    ("program-match-round-list", "POST", {"name": "Axis round"}, ADMIN_ONLY),
    ("program-match-round-detail", "GET", None, ADMIN_ONLY),
    ("program-match-round-proposals", "GET", None, ADMIN_ONLY),
    ("program-match-round-override", "PATCH", "override", ADMIN_ONLY),
    ("program-match-round-candidates", "GET", None, ADMIN_ONLY),
    ("program-match-round-unmatched", "GET", None, ADMIN_ONLY),
    ("program-match-round-publish", "POST", {}, ADMIN_ONLY),
    ("program-match-round-cancel", "POST", {}, ADMIN_ONLY),
    ("program-participants-import", "POST", {}, ADMIN_ONLY),
    ("program-report", "GET", None, ADMIN_ONLY),
    # A program's peers: its peers and admins only (member_a mentors in A: not a peer, so A's list is a 404 too).
    ("program-peer-list", "GET", None, {"admin_a": (OK, 404), "member_a": (404, 404), "staff": (OK, OK)}),
]
PAGES = [
    ("program-page", {"admin_a": (200, 404), "member_a": (200, 404), "staff": (200, 200)}),
    ("program-participants-page", {"admin_a": (200, 404), "member_a": (404, 404), "staff": (200, 200)}),
    ("program-settings-page", {"admin_a": (200, 404), "member_a": (404, 404), "staff": (200, 200)}),
]
PERSONAS = ("admin_a", "member_a", "staff")


@pytest.fixture
def world(db):
    a = ProgramFactory(slug="alpha", name="Alpha", enrollment="invite")
    b = ProgramFactory(slug="beta", name="Beta", enrollment="closed")
    people = {
        "admin_a": ProgramAdminFactory(membership__program=a),
        "member_a": UserFactory(),
        "staff": UserFactory(is_staff=True),
    }
    MembershipFactory(user=people["member_a"], program=a, role=Membership.Role.MENTOR)
    # The membership acted on in each program: an invited mentor (so that resend passes its checks too).
    targets = {
        p.slug: MembershipFactory(program=p, role=Membership.Role.MENTOR, status=Membership.Status.INVITED)
        for p in (a, b)
    }
    # In each program: a listed mentor, a mentee, and a proposed round pairing them (with another mentor to
    # override to).
    objects = {}
    for p in (a, b):
        mentor, other, mentee = MentorFactory(), MentorFactory(), MenteeFactory()
        for user, role in ((mentor, "mentor"), (other, "mentor"), (mentee, "mentee")):
            MembershipFactory(user=user, program=p, role=role)
        match_round = MatchRoundFactory(program=p, status="proposed")
        proposal = MatchProposalFactory(round=match_round, mentee=mentee, mentor=mentor)
        objects[p.slug] = {"mentor": mentor, "other": other, "round": match_round, "proposal": proposal}
    return {"people": people, "targets": targets, "objects": objects}


def _kwargs(name: str, slug: str, world) -> dict:
    objects = world["objects"][slug]
    if name == "program-mentor-detail":
        return {"program": slug, "id": objects["mentor"].pk}
    if name in ("program-match-round-override", "program-match-round-candidates"):
        return {"program": slug, "pk": objects["round"].pk, "proposal_id": objects["proposal"].pk}
    if name.startswith("program-match-round-") and not name.endswith("-list"):
        return {"program": slug, "pk": objects["round"].pk}
    if name.startswith(
        ("program-mentor-", "program-match-round-", "program-participants-", "program-report", "program-peer-")
    ):
        return {"program": slug}
    if name.startswith("program-member-") and name != "program-member-list":
        return {"program": slug, "pk": world["targets"][slug].pk}
    if name == "program-member-list":
        return {"program": slug}
    return {"slug": slug}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "body", "expected"), WALK, ids=[f"{n} {m}" for n, m, _, _ in WALK])
def test_every_endpoint_on_ones_own_program_and_another(world, name, method, body, expected, persona):
    client = client_for(world["people"][persona])
    for slug, want in zip(("alpha", "beta"), expected[persona], strict=True):
        data = {"mentor": world["objects"][slug]["other"].pk} if body == "override" else body
        response = getattr(client, method.lower())(
            reverse(name, kwargs=_kwargs(name, slug, world)), data, format="json"
        )

        got = response.status_code
        assert got < 500
        if want == OK:
            assert got not in (401, 403, 404), f"{persona} {method} {name} on {slug}: {got}"
        else:
            assert got == want, f"{persona} {method} {name} on {slug}: {got}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "expected"), PAGES)
def test_every_page_on_ones_own_program_and_another(world, name, expected, persona):
    client = Client()
    client.force_login(world["people"][persona])
    for slug, want in zip(("alpha", "beta"), expected[persona], strict=True):
        response = client.get(reverse(name, kwargs={"slug": slug}))

        assert response.status_code == want, f"{persona} on {name} of {slug}: {response.status_code}"
        if want == 404:
            assert "Beta" not in response.content.decode()


def test_joining_a_program_one_may_not_see_is_refused_not_hidden(world):
    """API.md: joining a closed or invite-only program is a 403, whoever asks."""
    client = client_for(world["people"]["admin_a"])

    assert client.post("/api/v1/programs/beta/join/", {"role": "mentee"}, format="json").status_code == 403


def test_an_admin_of_a_cannot_reach_a_member_of_b_through_as_own_path(world):
    client = client_for(world["people"]["admin_a"])
    theirs = world["targets"]["beta"]

    response = client.patch(f"/api/v1/programs/alpha/members/{theirs.pk}/", {"status": "removed"}, format="json")

    theirs.refresh_from_db()
    assert response.status_code == 404
    assert theirs.status == Membership.Status.INVITED
