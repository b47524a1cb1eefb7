"""Peer programs over the API: a peer asks another peer (`peer`), the one asked accepts, and the two have a peer
mentorship with equal rights: either logs sessions, both rate them, either completes it. A match round's proposal
needs both peers' yes. `mentee_limit` bounds how many partners one has."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.search import profile_search_refresh
from mentorship import services
from mentorship.models import Mentorship, MentorshipMember, MentorshipRequest
from programs.models import Membership
from tests.conftest import client_for
from tests.factories import (
    GoalFactory,
    IndustryFactory,
    MembershipFactory,
    ProgramFactory,
    SkillFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role
TODAY = timezone.localdate
URL = "/api/v1/requests/"


@pytest.fixture
def pairs(db):
    return ProgramFactory(slug="pairs", name="Peer pairs", format="peer")


def peer(program, username, **fields):
    user = UserFactory(username=username, full_name=username.title())
    MembershipFactory(user=user, program=program, role=Role.PEER, **fields)
    return user


@pytest.fixture
def ana(pairs):
    return peer(pairs, "ana")


@pytest.fixture
def ben(pairs):
    return peer(pairs, "ben")


@pytest.fixture
def cy(pairs):
    return peer(pairs, "cy")


def ask(asker, target_id, program="pairs", **body):
    return client_for(asker).post(URL, {"peer": target_id, "program": program, **body}, format="json")


def act(user, request_id, action, body=None):
    return client_for(user).post(f"{URL}{request_id}/{action}/", body or {}, format="json")


def pair_up(a, b) -> Mentorship:
    asked = ask(a, b.pk)
    assert asked.status_code == 201, asked.json()
    accepted = act(b, asked.json()["id"], "accept")
    assert accepted.status_code == 200, accepted.json()
    return Mentorship.objects.get(pk=accepted.json()["mentorship"])


# --- Asking ---------------------------------------------------------------------------------------------------


def test_a_peer_asks_another_and_the_one_asked_accepts_into_a_pair(ana, ben):
    asked = ask(ana, ben.pk, message="Shall we pair on system design?")

    assert asked.status_code == 201, asked.json()
    assert (asked.json()["mentee"]["id"], asked.json()["mentor"]["id"]) == (ana.pk, ben.pk)
    assert asked.json()["status"] == "pending"
    accepted = act(ben, asked.json()["id"], "accept")

    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    body = client_for(ana).get(f"/api/v1/mentorships/{accepted.json()['mentorship']}/").json()
    assert body["format"] == "peer"
    assert body["mentor"] is None
    assert body["mentee"] is None
    assert body["mentees"] == []
    assert [p["username"] for p in body["people"]] == ["ana", "ben"]
    assert [(m["username"], m["role"], m["status"]) for m in body["members"]] == [
        ("ana", "peer", "active"),
        ("ben", "peer", "active"),
    ]
    assert client_for(ben).get(f"/api/v1/mentorships/{body['id']}/").status_code == 200


def test_the_peer_who_asked_cannot_accept_their_own_request(ana, ben):
    request_id = ask(ana, ben.pk).json()["id"]

    assert act(ana, request_id, "accept").status_code == 403
    assert act(ana, request_id, "decline").status_code == 403
    assert act(ana, request_id, "withdraw").status_code == 200


def test_a_peer_cannot_ask_themselves(ana):
    response = ask(ana, ana.pk)

    assert response.status_code == 400
    assert list(response.json()) == ["peer"]


@pytest.mark.parametrize("who", ["stranger", "mentee_elsewhere", "peer_of_another_program", "left", "unknown"])
def test_a_peer_cannot_ask_someone_outside_the_program(ana, who):
    if who == "unknown":
        target_id = 987654
    elif who == "stranger":
        target_id = UserFactory().pk
    elif who == "mentee_elsewhere":
        target_id = MembershipFactory(role=Role.MENTEE).user_id
    elif who == "peer_of_another_program":
        target_id = peer(ProgramFactory(format="peer"), "pat").pk
    else:
        target_id = MembershipFactory(program=ana.memberships.get().program, role=Role.PEER, status="left").user_id

    response = ask(ana, target_id)

    assert response.status_code == 400
    assert list(response.json()) == ["peer"]
    assert not MentorshipRequest.objects.exists()


def test_asking_a_mentor_in_a_peer_program_is_400_naming_role(ana, ben):
    response = client_for(ana).post(URL, {"mentor": ben.pk, "program": "pairs"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["role"]


def test_asking_a_peer_in_a_one_on_one_program_is_400_naming_role(mentee, mentor):
    response = client_for(mentee).post(URL, {"peer": mentor.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["role"]


def test_naming_both_a_mentor_and_a_peer_or_neither_is_400(ana, ben):
    both = client_for(ana).post(URL, {"peer": ben.pk, "mentor": ben.pk, "program": "pairs"}, format="json")
    neither = client_for(ana).post(URL, {"program": "pairs"}, format="json")

    assert both.status_code == neither.status_code == 400


def test_only_a_peer_of_the_program_asks_there(pairs, ben):
    admin = UserFactory()
    MembershipFactory(user=admin, program=pairs, role=Role.ADMIN)

    assert ask(admin, ben.pk).status_code == 403


def test_a_second_request_between_the_same_two_is_409_either_way(ana, ben):
    ask(ana, ben.pk)

    for asker, target in ((ana, ben), (ben, ana)):
        response = ask(asker, target.pk)
        assert response.status_code == 409
        assert response.json()["code"] == "request_pending"


# --- Limits ---------------------------------------------------------------------------------------------------


def test_the_mentee_limit_bounds_partners_on_both_sides(ana, ben, cy):
    pair_up(ana, ben)  # the program allows one partner each

    mine = ask(ana, cy.pk)
    theirs = ask(cy, ana.pk)

    assert (mine.status_code, mine.json()["code"]) == (409, "mentee_full")
    assert (theirs.status_code, theirs.json()["code"]) == (409, "peer_full")


def test_partners_cannot_pair_twice(pairs, ana, ben):
    pairs.mentee_limit = 3
    pairs.save()
    pair_up(ana, ben)

    response = ask(ben, ana.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "already_paired"


def test_accepting_when_the_asker_has_filled_their_limit_meanwhile_is_409_peer_full(ana, ben, cy):
    waiting = ask(ana, ben.pk).json()["id"]
    MentorshipRequest.objects.filter(pk=waiting).update(status="withdrawn")  # out of the way for a moment
    pair_up(cy, ana)
    MentorshipRequest.objects.filter(pk=waiting).update(status="pending")

    response = act(ben, waiting, "accept")

    assert response.status_code == 409
    assert response.json()["code"] == "peer_full"  # Ana is full; Ben, who accepts, is not


def test_accepting_at_ones_own_limit_is_409_mentee_full(ana, ben, cy):
    waiting = ask(ana, ben.pk).json()["id"]
    pair_up(cy, ben)

    response = act(ben, waiting, "accept")

    assert response.status_code == 409
    assert response.json()["code"] == "mentee_full"


def test_a_pair_closes_the_other_pending_requests_of_a_peer_at_their_limit(ana, ben, cy):
    to_cy = ask(ana, cy.pk).json()["id"]
    from_ben = ask(ben, ana.pk).json()["id"]

    act(ana, from_ben, "accept")

    closed = MentorshipRequest.objects.get(pk=to_cy)
    assert (closed.status, closed.close_reason) == ("withdrawn", "mentee_matched")


def test_a_request_the_other_way_closes_when_the_two_pair_up(pairs, ana, ben):
    pairs.mentee_limit = 3
    pairs.save()
    ana_to_ben = ask(ana, ben.pk).json()["id"]
    ben_to_ana = MentorshipRequest.objects.create(  # sent at the same moment: neither saw the other's
        program=pairs, mentee=ben, mentor=ana, expires_at=timezone.now() + dt.timedelta(days=1)
    )

    act(ben, ana_to_ben, "accept")

    ben_to_ana.refresh_from_db()
    assert (ben_to_ana.status, ben_to_ana.close_reason) == ("withdrawn", "mentee_matched")
    assert act(ana, ben_to_ana.pk, "accept").json()["code"] == "not_pending"


# --- Together -------------------------------------------------------------------------------------------------


def test_either_peer_logs_sessions_and_both_rate_them_once(ana, ben):
    pair = pair_up(ana, ben)
    url = f"/api/v1/mentorships/{pair.pk}/sessions/"

    by_ana = client_for(ana).post(url, {"date": str(TODAY()), "duration_minutes": 45}, format="json")
    by_ben = client_for(ben).post(url, {"date": str(TODAY()), "duration_minutes": 30}, format="json")

    assert by_ana.status_code == by_ben.status_code == 201
    assert [a["username"] for a in by_ana.json()["attendees"]] == ["ana", "ben"]
    feedback = f"{url}{by_ana.json()['id']}/feedback/"
    assert client_for(ana).post(feedback, {"rating": 4}, format="json").status_code == 201
    assert client_for(ben).post(feedback, {"rating": 5}, format="json").status_code == 201
    again = client_for(ben).post(feedback, {"rating": 1}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_rated")


def test_a_session_names_only_the_two_peers_and_their_goals(ana, ben, cy):
    pair = pair_up(ana, ben)
    url = f"/api/v1/mentorships/{pair.pk}/sessions/"
    bens_goal = GoalFactory(mentee=ben)

    stranger = client_for(ana).post(
        url, {"date": str(TODAY()), "duration_minutes": 45, "attendees": [ana.pk, cy.pk]}, format="json"
    )
    others_goal = client_for(ana).post(
        url, {"date": str(TODAY()), "duration_minutes": 45, "goals": [GoalFactory(mentee=cy).pk]}, format="json"
    )
    partners_goal = client_for(ana).post(
        url, {"date": str(TODAY()), "duration_minutes": 45, "goals": [bens_goal.pk]}, format="json"
    )

    assert (stranger.status_code, list(stranger.json())) == (400, ["attendees"])
    assert (others_goal.status_code, list(others_goal.json())) == (400, ["goals"])
    assert partners_goal.status_code == 201


def test_a_peers_goal_is_their_own_until_shared_with_their_partner(ana, ben, cy):
    pair_up(ana, ben)
    private = GoalFactory(mentee=ana)
    shared = GoalFactory(mentee=ana, shared=True)

    def seen_by(user):
        return {g["id"] for g in client_for(user).get("/api/v1/goals/").json()["results"]}

    assert seen_by(ben) == {shared.pk}
    assert seen_by(cy) == set()
    assert seen_by(ana) == {private.pk, shared.pk}


def test_either_peer_completes_the_pair_for_both_and_neither_leaves_it(ana, ben):
    pair = pair_up(ana, ben)

    left = client_for(ana).post(f"/api/v1/mentorships/{pair.pk}/leave/")
    completed = client_for(ben).post(f"/api/v1/mentorships/{pair.pk}/complete/")

    assert (left.status_code, left.json()["code"]) == (409, "not_a_circle")
    assert completed.status_code == 200
    assert completed.json()["status"] == "completed"
    assert {m["status"] for m in completed.json()["members"]} == {"ended"}
    assert [p["username"] for p in completed.json()["people"]] == ["ana", "ben"]
    assert MentorshipMember.objects.filter(status="active").count() == 0
    assert ask(ana, ben.pk).status_code == 201  # free to pair again


# --- A match round's proposal ---------------------------------------------------------------------------------


@pytest.fixture
def proposal(pairs, ana, ben) -> MentorshipRequest:
    """A match round proposed Ana and Ben to each other."""
    return services.peer_request_create(
        asker=ana, peer_id=ben.pk, program=pairs, origin=MentorshipRequest.Origin.MATCH_ROUND
    )


@pytest.mark.parametrize(("first", "second"), [("ana", "ben"), ("ben", "ana")])
def test_a_rounds_proposal_starts_when_both_peers_accept(proposal, ana, ben, first, second):
    people = {"ana": ana, "ben": ben}

    once = act(people[first], proposal.pk, "accept")

    assert once.status_code == 200
    assert once.json()["status"] == "pending"
    assert once.json()["mentorship"] is None
    said_yes = {"ana": "sender_accepted_at", "ben": "recipient_accepted_at"}
    assert once.json()[said_yes[first]] is not None
    assert once.json()[said_yes[second]] is None
    assert not Mentorship.objects.exists()

    twice = act(people[second], proposal.pk, "accept")

    assert twice.status_code == 200
    assert twice.json()["status"] == "accepted"
    assert twice.json()["sender_accepted_at"] is not None
    assert twice.json()["recipient_accepted_at"] is not None
    pair = Mentorship.objects.get(pk=twice.json()["mentorship"])
    assert pair.format == "peer"
    assert {m.user_id for m in pair.members.all()} == {ana.pk, ben.pk}


def test_a_peer_saying_yes_twice_keeps_the_first_yes(proposal, ana):
    first = act(ana, proposal.pk, "accept").json()["sender_accepted_at"]

    again = act(ana, proposal.pk, "accept")

    assert again.status_code == 200
    assert again.json()["status"] == "pending"
    assert again.json()["sender_accepted_at"] == first


@pytest.mark.parametrize(("who", "told"), [("ana", "ben"), ("ben", "ana")])
def test_the_other_peer_is_told_of_a_declined_proposal(
    proposal, ana, ben, who, told, django_capture_on_commit_callbacks
):
    people = {"ana": ana, "ben": ben}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        act(people[who], proposal.pk, "decline", {"reason": "unavailable", "note": "Busy until May."})

    assert [m.to for m in mail.outbox] == [[people[told].email]]
    assert people[who].full_name in mail.outbox[0].subject
    assert "Busy until May." in mail.outbox[0].body


@pytest.mark.parametrize("who", ["ana", "ben"])
def test_either_peer_declining_a_rounds_proposal_declines_it_for_both(proposal, ana, ben, cy, who):
    act(ben, proposal.pk, "accept")

    response = act({"ana": ana, "ben": ben}[who], proposal.pk, "decline", {"reason": "not_a_fit"})

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert act(cy, proposal.pk, "decline").status_code == 404
    assert ask(cy, ana.pk).status_code == 201  # both are free again
    assert not Mentorship.objects.exists()


# --- Finding peers --------------------------------------------------------------------------------------------


def profile(user, *, headline="", skills=(), wanted=(), industry=None):
    user.profile.headline = headline
    user.profile.industry = IndustryFactory(name=industry) if industry else None
    user.profile.save()
    user.profile.skills.set([SkillFactory(name=name) for name in skills])
    user.profile.wanted_skills.set([SkillFactory(name=name) for name in wanted])
    profile_search_refresh(user_ids=[user.pk])
    return user


def peers(user, program="pairs", **params):
    response = client_for(user).get(f"/api/v1/programs/{program}/peers/", params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_a_peer_finds_the_programs_other_peers_with_what_they_teach_and_want(pairs, ana, ben, cy):
    profile(ben, headline="Data engineer", skills=["SQL", "Python"], wanted=["Public speaking"], industry="Retail")
    peer(pairs, "gone", status="left")
    MembershipFactory(program=pairs, role=Role.ADMIN)

    listed = peers(ana)

    assert [p["username"] for p in listed] == ["ben", "cy"]  # not herself, not who left, not the admin
    ben_row = listed[0]
    assert ben_row["id"] == ben.pk
    assert ben_row["headline"] == "Data engineer"
    assert sorted(ben_row["skills"]) == ["Python", "SQL"]
    assert ben_row["wanted_skills"] == ["Public speaking"]
    assert ben_row["industry"] == "Retail"
    assert (ben_row["partners"], ben_row["open_slots"], ben_row["paired_with_me"]) == (0, 1, False)


def test_the_list_shows_who_is_paired_and_who_has_room(pairs, ana, ben, cy):
    pairs.mentee_limit = 2
    pairs.save()
    pair_up(ana, ben)

    rows = {p["username"]: p for p in peers(ana)}

    assert (rows["ben"]["partners"], rows["ben"]["open_slots"], rows["ben"]["paired_with_me"]) == (1, 1, True)
    assert (rows["cy"]["partners"], rows["cy"]["open_slots"], rows["cy"]["paired_with_me"]) == (0, 2, False)
    assert peers(cy)[0]["paired_with_me"] is False


def test_the_list_shows_a_request_waiting_between_the_two_either_way(pairs, ana, ben, cy):
    assert ask(ana, ben.pk).status_code == 201

    assert {p["username"]: p["request_pending"] for p in peers(ana)} == {"ben": True, "cy": False}
    assert {p["username"]: p["request_pending"] for p in peers(ben)} == {"ana": True, "cy": False}
    assert {p["username"]: p["request_pending"] for p in peers(cy)} == {"ana": False, "ben": False}


def test_peers_filter_by_skill_words_and_room(ana, ben, cy):
    profile(ben, headline="Data engineer", skills=["SQL"], wanted=["Design"], industry="Retail")
    profile(cy, headline="Product designer", skills=["Design"], wanted=["SQL"], industry="Media")
    pair_up(cy, peer(cy.memberships.get().program, "dan"))

    assert [p["username"] for p in peers(ana, skill="sql")] == ["ben"]
    assert [p["username"] for p in peers(ana, wanted_skill="SQL")] == ["cy"]
    assert [p["username"] for p in peers(ana, industry="media")] == ["cy"]
    assert [p["username"] for p in peers(ana, q="designer")] == ["cy"]
    assert [p["username"] for p in peers(ana, open="true")] == ["ben"]
    assert [p["username"] for p in peers(ana, open="false")] == ["cy", "dan"]


@pytest.mark.parametrize("params", [{"open": "maybe"}, {"skill": "x" * 300}, {"q": "a\x00b"}])
def test_a_bad_filter_is_400(ana, params):
    response = client_for(ana).get("/api/v1/programs/pairs/peers/", params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_only_the_programs_peers_and_admins_list_its_peers(pairs, ben, mentee, admin_user):
    program_admin = UserFactory()
    MembershipFactory(user=program_admin, program=pairs, role=Role.ADMIN)
    departed = peer(pairs, "dee", status="left")
    mentee_here = UserFactory()
    MembershipFactory(user=mentee_here, program=pairs, role=Role.MENTEE)
    other_peer = peer(ProgramFactory(format="peer", slug="elsewhere"), "eli")

    for allowed in (program_admin, admin_user):
        assert [p["username"] for p in peers(allowed)] == ["ben"]
    for refused in (mentee, departed, mentee_here, other_peer):
        response = client_for(refused).get("/api/v1/programs/pairs/peers/", {"open": "maybe"})
        assert response.status_code == 404, refused  # before looking at the filters: nothing told
    assert client_for(ben).get("/api/v1/programs/no-such-program/peers/").status_code == 404
    assert peers(other_peer, program="elsewhere") == []


def test_the_emails_speak_of_pairing_up(ana, ben, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(ana, ben.pk)
    with django_capture_on_commit_callbacks(execute=True):
        act(ben, asked.json()["id"], "decline", {"reason": "unavailable"})

    received, declined = mail.outbox
    assert received.subject == f"New request to pair up from {ana.full_name}"
    assert "would like to pair up with you as peers" in received.body
    assert declined.subject == f"{ben.full_name} declined your request to pair up"
    assert "the program's peers are listed on its peers page" in declined.body
