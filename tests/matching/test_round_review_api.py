"""Reviewing a proposed round over the API: the mentors an override may pick (room once this round's own proposals
are counted), the new pair's score and warnings before saving, the confirmation a poor pair needs, and the mentees
left without a proposal, each with why."""

import pytest

from accounts.models import User
from matching.models import MatchProposal, MatchRound
from matching.selectors import mentor_open_slots
from programs.models import AdminAction
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    RequestFactory,
    default_program,
    person,
)
from tests.matching.test_rounds_api import URL
from tests.openapi import assert_matches_schema


def proposal_of(round_id, username) -> MatchProposal:
    return MatchProposal.objects.get(round_id=round_id, mentee__username=username)


def candidates(client, round_id, proposal, **params):
    response = client.get(f"{URL}{round_id}/proposals/{proposal.pk}/candidates/", params)
    assert response.status_code == 200, response.json()
    assert_matches_schema(response)
    return {c["mentor"]["username"]: c for c in response.json()["results"]}


def override(client, round_id, proposal, mentor, **body):
    response = client.patch(f"{URL}{round_id}/proposals/{proposal.pk}/", {"mentor": mentor.pk, **body}, format="json")
    assert_matches_schema(response)
    return response


# --- The candidates of an override ---------------------------------------------------------------------------


def test_candidates_are_the_mentors_with_room_once_this_rounds_proposals_are_counted(
    run_round, admin_client_api, program
):
    """Pia has two open slots, and this round proposes her twice: she is offered to nobody else."""
    round_id = run_round().json()["id"]
    assert proposal_of(round_id, "amy").mentor == proposal_of(round_id, "cy").mentor == program["pia"]
    sam = person(MentorFactory, "sam", skills=["Leadership"], industry="Retail", capacity=3)

    found = candidates(admin_client_api, round_id, proposal_of(round_id, "bo"))

    assert "pia" not in found  # nor Lou, whose slot is Bo's
    assert next(iter(found)) == "sam"
    assert (found["sam"]["open_slots"], found["sam"]["open_slots_after_round"]) == (3, 3)
    assert found["sam"]["explanation"]["shared_skills"] == ["Leadership"]
    assert found["sam"]["warnings"] == []
    assert found["sam"]["mentor"]["id"] == sam.pk


def test_a_proposals_own_slot_is_free_for_its_override(run_round, admin_client_api, program):
    """Amy's mentor is Pia, whose other slot is Cy's: for Amy's proposal, Pia is the mentor she has, not a candidate,
    and for Bo's she is full."""
    round_id = run_round().json()["id"]
    person(MentorFactory, "sam", skills=["Python"], capacity=2)
    MatchProposal.objects.filter(round_id=round_id, mentee__username="cy").update(mentor=MentorFactory())

    assert "pia" in candidates(admin_client_api, round_id, proposal_of(round_id, "bo"))
    assert "pia" not in candidates(admin_client_api, round_id, proposal_of(round_id, "amy"))


def test_a_mentor_who_opens_a_slot_after_a_first_search_is_offered_at_once(run_round, admin_client_api, program):
    """The round's fitted scorer is kept between keystrokes: a mentor it did not know of is scored all the same."""
    round_id = run_round().json()["id"]
    sam = person(MentorFactory, "sam", skills=["Leadership"], capacity=1, accepting=False)
    bo = proposal_of(round_id, "bo")
    assert "sam" not in candidates(admin_client_api, round_id, bo)
    sam.memberships.filter(role="mentor").update(accepting_requests=True)  # behind the services' back: no signal

    found = candidates(admin_client_api, round_id, bo)

    assert found["sam"]["open_slots_after_round"] == 1
    assert found["sam"]["explanation"]["shared_skills"] == ["Leadership"]


def test_candidates_are_found_by_name_best_score_first(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    person(MentorFactory, "sam", skills=["Python"], industry="Healthcare", capacity=1)
    person(MentorFactory, "sasha", skills=["Python", "SQL"], industry="Healthcare", capacity=1)
    person(MentorFactory, "zed", skills=["Knitting"], capacity=1)
    amy = proposal_of(round_id, "amy")

    assert list(candidates(admin_client_api, round_id, amy, q="SA")) == ["sasha", "sam"]
    assert list(candidates(admin_client_api, round_id, amy, q="zed")) == ["zed"]
    assert candidates(admin_client_api, round_id, amy, q="nobody by this name") == {}


def test_candidates_leave_out_pairs_never_to_propose_and_the_mentee_themselves(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    sam = person(MentorFactory, "sam", skills=["Leadership"], capacity=2)
    RequestFactory(mentee=program["bo"], mentor=sam, status="declined")
    MembershipFactory(user=program["bo"], role="mentor", capacity=2)  # Bo mentors here too

    found = candidates(admin_client_api, round_id, proposal_of(round_id, "bo"))

    assert "sam" not in found
    assert "bo" not in found


def test_candidates_of_a_published_round_are_409(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    admin_client_api.post(f"{URL}{round_id}/publish/")

    response = admin_client_api.get(f"{URL}{round_id}/proposals/{proposal_of(round_id, 'bo').pk}/candidates/")

    assert response.status_code == 409
    assert response.json()["code"] == "not_proposed"


@pytest.mark.parametrize("q", ["a\x00b", "x" * 101])
def test_a_search_the_database_cannot_take_is_400(run_round, admin_client_api, program, q):
    round_id = run_round().json()["id"]

    response = admin_client_api.get(f"{URL}{round_id}/proposals/{proposal_of(round_id, 'bo').pk}/candidates/", {"q": q})

    assert response.status_code == 400
    assert "q" in response.json()


def test_a_proposal_of_another_round_has_no_candidates_here(run_round, admin_client_api, program):
    first = run_round().json()["id"]
    MatchRound.objects.filter(pk=first).update(status="cancelled")
    second = run_round().json()["id"]

    response = admin_client_api.get(f"{URL}{second}/proposals/{proposal_of(first, 'bo').pk}/candidates/")

    assert response.status_code == 404


# --- Saving an override --------------------------------------------------------------------------------------


def test_the_score_shown_before_saving_is_the_score_saved(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    sam = person(MentorFactory, "sam", skills=["Python"], industry="Retail", capacity=1)
    cy = proposal_of(round_id, "cy")
    shown = candidates(admin_client_api, round_id, cy)["sam"]

    saved = override(admin_client_api, round_id, cy, sam).json()

    assert saved["score"] == pytest.approx(shown["score"])
    assert saved["explanation"] == shown["explanation"]


def test_a_mentor_full_after_this_rounds_proposals_is_409_mentor_full(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]

    response = override(admin_client_api, round_id, proposal_of(round_id, "bo"), program["pia"], confirm=True)

    assert response.status_code == 409
    assert response.json()["code"] == "mentor_full"
    assert proposal_of(round_id, "bo").mentor == program["lou"]


def test_a_pair_with_nothing_in_common_needs_a_confirmation(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    zed = person(MentorFactory, "zed", skills=["Knitting"], industry="Textiles", capacity=1)
    bo = proposal_of(round_id, "bo")
    assert candidates(admin_client_api, round_id, bo)["zed"]["warnings"][0]["code"] == "low_score"

    refused = override(admin_client_api, round_id, bo, zed)
    accepted = override(admin_client_api, round_id, bo, zed, confirm=True)

    assert refused.status_code == 409
    assert refused.json()["code"] == "low_score"
    assert [w["code"] for w in refused.json()["warnings"]] == ["low_score"]
    assert accepted.status_code == 200
    assert accepted.json()["score"] == 0
    recorded = AdminAction.objects.get(kind="proposal_override")
    assert recorded.details["confirmed"] == ["low_score"]


def test_a_pair_under_the_rounds_minimum_score_needs_a_confirmation(run_round, admin_client_api, program):
    """The round's own minimum is the threshold when it has one: 0.5 here, above the 0.2 used otherwise."""
    round_id = run_round(min_score=0.5).json()["id"]
    sam = person(MentorFactory, "sam", skills=["Python", "Leadership"], capacity=1)  # 28% with Bo
    bo = proposal_of(round_id, "bo")

    response = override(admin_client_api, round_id, bo, sam)

    assert response.status_code == 409
    assert response.json()["code"] == "low_score"
    assert override(admin_client_api, round_id, bo, sam, confirm=True).status_code == 200


def test_a_good_pair_is_saved_without_a_confirmation(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    sam = person(MentorFactory, "sam", skills=["Python"], industry="Retail", capacity=1)

    assert override(admin_client_api, round_id, proposal_of(round_id, "cy"), sam).status_code == 200


def test_a_pair_breaking_a_rule_of_the_round_needs_a_confirmation(run_round, admin_client_api, program):
    round_id = run_round(same_industry=True).json()["id"]
    sam = person(MentorFactory, "sam", skills=["Python", "SQL"], industry="Finance", capacity=1)
    amy = proposal_of(round_id, "amy")
    assert [w["code"] for w in candidates(admin_client_api, round_id, amy)["sam"]["warnings"]] == ["breaks_round_rule"]

    response = override(admin_client_api, round_id, amy, sam)

    assert response.status_code == 409
    assert response.json()["code"] == "breaks_round_rule"
    assert override(admin_client_api, round_id, amy, sam, confirm=True).status_code == 200


def test_a_mentee_cannot_be_proposed_as_their_own_mentor(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    MembershipFactory(user=program["bo"], role="mentor", capacity=2)

    response = override(admin_client_api, round_id, proposal_of(round_id, "bo"), program["bo"], confirm=True)

    assert response.status_code == 400
    assert "mentor" in response.json()


def test_confirm_must_be_a_boolean(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    sam = person(MentorFactory, "sam", skills=["Python"], capacity=1)

    response = override(admin_client_api, round_id, proposal_of(round_id, "cy"), sam, confirm="perhaps")

    assert response.status_code == 400
    assert "confirm" in response.json()


# --- Who is left without a proposal, and why --------------------------------------------------------------------


def left_out(client, round_id) -> dict[str, dict]:
    response = client.get(f"{URL}{round_id}/unmatched/")
    assert response.status_code == 200
    assert_matches_schema(response)
    rows = {row["mentee"]["username"]: row for row in response.json()["results"]}
    assert all(row["detail"] for row in rows.values())
    return rows


def test_every_waiting_mentee_is_proposed_or_left_out_with_a_reason(run_round, admin_client_api, program):
    person(MenteeFactory, "dee", skills=["Gardening"], industry="Farming")  # nothing in common with anyone
    person(MenteeFactory, "eli")  # an empty profile
    person(MenteeFactory, "gus", skills=["Leadership"], industry="Retail")  # Bo's rival for Lou's one slot
    fay = person(MenteeFactory, "fay", skills=["Python"])
    for mentor in User.objects.filter(pk__in=mentor_open_slots(default_program())):  # all with room declined her
        RequestFactory(mentee=fay, mentor=mentor, status="declined")

    body = run_round().json()
    round_id = body["id"]

    rows = left_out(admin_client_api, round_id)
    proposed = set(MatchProposal.objects.filter(round_id=round_id).values_list("mentee__username", flat=True))
    assert {name: row["reason"] for name, row in rows.items()} == {
        "dee": "no_common_ground",
        "eli": "no_common_ground",
        "fay": "excluded",
        ({"bo", "gus"} - proposed).pop(): "mentors_full",
    }
    assert "empty_profile" not in rows["eli"]  # the counts stay behind the words
    assert rows["dee"]["best_score"] == 0
    stats = admin_client_api.get(f"{URL}{round_id}/").json()["stats"]
    assert stats["unmatched"] == {"excluded": 1, "no_common_ground": 2, "mentors_full": 1}
    assert stats["matched"] + sum(stats["unmatched"].values()) == stats["mentees"]


@pytest.mark.parametrize(
    ("settings", "mentee", "reason"),
    [
        ({"min_score": 0.9}, {"skills": ["Python"], "industry": "Retail"}, "below_min_score"),
        ({"same_industry": True}, {"skills": ["Python"], "industry": "Farming"}, "same_industry"),
        ({"same_industry": True}, {"skills": ["Python"]}, "same_industry"),
        ({"max_timezone_hours": 2}, {"skills": ["Python"], "timezone": "Asia/Tokyo"}, "timezone_gap"),
    ],
)
def test_a_rule_of_the_round_is_named_when_it_left_someone_out(
    run_round, admin_client_api, program, settings, mentee, reason
):
    zone = mentee.pop("timezone", None)
    newcomer = person(MenteeFactory, "nia", **mentee)
    if zone:
        newcomer.profile.timezone = zone
        newcomer.profile.save(update_fields=["timezone"])

    round_id = run_round(**settings).json()["id"]

    row = left_out(admin_client_api, round_id)["nia"]
    assert row["reason"] == reason
    if reason == "below_min_score":
        assert 0 < row["best_score"] < 0.9
