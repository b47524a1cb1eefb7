import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from matching.models import MatchProposal, MatchRound
from matching.rounds import round_create
from matching.runner import round_run, round_search_slice
from mentorship.models import MentorshipRequest
from tests.factories import (
    MatchRoundFactory,
    MembershipFactory,
    MentorFactory,
    MentorshipFactory,
    RequestFactory,
    default_program,
    person,
)
from tests.openapi import assert_matches_schema

URL = "/api/v1/match-rounds/"


def proposals_of(client, round_id):
    return {p["mentee"]["username"]: p for p in client.get(f"{URL}{round_id}/proposals/").json()["results"]}


def test_a_round_is_accepted_at_once_and_the_worker_proposes_pairs(run_round, admin_client_api, program):
    response = run_round()

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    body = admin_client_api.get(f"{URL}{response.json()['id']}/").json()
    assert body["status"] == "proposed"
    assert body["progress"] == 1.0
    assert body["stats"]["matched"] == 3
    assert body["stats"]["mentees"] >= 3
    proposals = proposals_of(admin_client_api, body["id"])
    assert proposals["amy"]["mentor"]["username"] == "pia"
    assert proposals["bo"]["mentor"]["username"] == "lou"
    assert proposals["amy"]["explanation"]["shared_skills"] == ["Python", "SQL"]
    assert proposals["amy"]["explanation"]["industry"] == "Healthcare"
    blocks = proposals["amy"]["explanation"]["blocks"]
    assert sum(blocks.values()) == pytest.approx(proposals["amy"]["score"])


def test_a_round_answers_only_fields_its_schema_declares_once_run_and_published(run_round, admin_client_api, program):
    """`stats` carries what the engine measured (mode, candidate pairs, seconds per stage), every key declared."""
    round_id = run_round(mode="stable").json()["id"]
    admin_client_api.post(f"{URL}{round_id}/publish/")

    answers = [admin_client_api.get(f"{URL}{round_id}/"), admin_client_api.get(URL)]

    stats = answers[0].json()["stats"]
    assert {"mode", "candidate_pairs", "stage_seconds", "published"} <= stats.keys()
    for answer in answers:
        assert_matches_schema(answer)


def test_pairs_already_tried_are_never_proposed(run_round, admin_client_api, program):
    MentorshipFactory(mentee=program["amy"], mentor=program["pia"], status="completed", ended_at="2026-01-01T00:00Z")
    RequestFactory(mentee=program["bo"], mentor=program["lou"], status="declined")

    round_id = run_round().json()["id"]

    mentor_of = {mentee: p["mentor"]["username"] for mentee, p in proposals_of(admin_client_api, round_id).items()}
    assert mentor_of.get("amy") != "pia"
    assert mentor_of.get("bo") != "lou"


def test_the_proposals_export_as_csv(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]

    response = admin_client_api.get(f"{URL}{round_id}/proposals/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "mentee_username,mentor_username,score"
    assert len(lines) == 4
    assert any(line.startswith("amy,pia,") for line in lines)


@pytest.mark.parametrize("missing", ["round", "signed_in", "admin"])
def test_the_csv_export_answers_its_errors_as_json(missing, run_round, admin_client_api, mentee_client, anon, program):
    round_id = run_round().json()["id"]
    client = {"round": admin_client_api, "signed_in": anon, "admin": mentee_client}[missing]
    url = f"{URL}{round_id + 1 if missing == 'round' else round_id}/proposals/"

    response = client.get(url, {"format": "csv"})

    assert response.status_code == {"round": 404, "signed_in": 401, "admin": 403}[missing]
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert_matches_schema(response)


def test_asking_the_csv_export_what_it_takes_answers_json(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]

    response = admin_client_api.options(f"{URL}{round_id}/proposals/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weights": {"skills": -1}}, "weights"),
        ({"weights": {"skills": 0, "industry": 0, "goals": 0}}, "weights"),
        ({"weights": {"charisma": 2}}, "weights"),
        ({"mode": "greedy"}, "mode"),
        ({"top_k": 0}, "top_k"),
        ({"min_score": 2}, "min_score"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_round_settings_are_400_and_nothing_is_queued(run_round, program, body, field):
    response = run_round(**body)

    assert response.status_code == 400
    assert field in response.json()
    assert not MatchRound.objects.exists()


def test_a_round_on_an_empty_pool_is_409(run_round, db):
    MentorFactory()

    response = run_round()

    assert response.status_code == 409
    assert "pool is empty" in response.json()["detail"]


def test_publishing_makes_pending_offers_that_hold_slots_and_tells_both_sides(
    run_round, admin_client_api, mentee_client, program, django_capture_on_commit_callbacks
):
    round_id = run_round().json()["id"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_api.post(f"{URL}{round_id}/publish/")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["stats"]["published"] == 3
    offers = MentorshipRequest.objects.filter(origin="match_round", status="pending")
    assert offers.count() == 3
    assert all(p.request_id for p in MatchProposal.objects.filter(round_id=round_id))
    assert offers.get(mentee=program["amy"]).goals.get().title == "Build data pipelines in Python"
    # One digest per mentor (Pia has two proposals), one email per mentee; no email per request besides.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["pia@example.org", "lou@example.org", "amy@example.org", "bo@example.org", "cy@example.org"]
    )
    assert mentee_client.get(f"/api/v1/mentors/{program['pia'].pk}/").json()["open_slots"] == 0


def test_a_round_is_published_once(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    admin_client_api.post(f"{URL}{round_id}/publish/")

    again = admin_client_api.post(f"{URL}{round_id}/publish/")

    assert again.status_code == 409
    assert "already published" in again.json()["detail"]
    assert MentorshipRequest.objects.filter(origin="match_round").count() == 3


def test_publishing_skips_a_mentee_who_found_a_mentor_meanwhile(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    MentorshipFactory(mentee=program["cy"])

    stats = admin_client_api.post(f"{URL}{round_id}/publish/").json()["stats"]

    assert (stats["published"], stats["skipped"]) == (2, 1)
    assert not MentorshipRequest.objects.filter(mentee=program["cy"], origin="match_round").exists()


def test_an_admin_overrides_a_proposal_with_a_mentor_who_has_room(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    spare = person(MentorFactory, "sam", skills=["Python"], industry="Retail", capacity=1)  # joined after the run
    cy = MatchProposal.objects.get(round_id=round_id, mentee=program["cy"])

    response = admin_client_api.patch(f"{URL}{round_id}/proposals/{cy.pk}/", {"mentor": spare.pk}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["mentor"]["username"] == "sam"
    assert body["proposed_mentor"]["username"] == cy.mentor.username
    assert body["explanation"]["shared_skills"] == ["Python"]
    assert sum(body["explanation"]["blocks"].values()) == pytest.approx(body["score"])


def test_overriding_to_a_full_mentor_is_409_and_to_a_non_mentor_400(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]
    amy = MatchProposal.objects.get(round_id=round_id, mentee=program["amy"])
    url = f"{URL}{round_id}/proposals/{amy.pk}/"

    assert admin_client_api.patch(url, {"mentor": program["lou"].pk}, format="json").status_code == 409
    assert admin_client_api.patch(url, {"mentor": program["bo"].pk}, format="json").status_code == 400
    amy.refresh_from_db()
    assert amy.mentor == program["pia"]


def test_proposals_of_a_published_round_cannot_change(run_round, admin_client_api, program):
    spare = person(MentorFactory, "sam", skills=["Python"], capacity=3)
    round_id = run_round().json()["id"]
    admin_client_api.post(f"{URL}{round_id}/publish/")
    proposal = MatchProposal.objects.filter(round_id=round_id).first()

    response = admin_client_api.patch(f"{URL}{round_id}/proposals/{proposal.pk}/", {"mentor": spare.pk}, format="json")

    assert response.status_code == 409


def test_a_failing_run_is_recorded_and_writes_nothing(program, admin_user):
    match_round = MatchRoundFactory(name="Broken", weights={"skills": -5}, created_by=admin_user)

    round_run(round_id=match_round.pk)

    match_round.refresh_from_db()
    assert match_round.status == "failed"
    assert "cannot be negative" in match_round.error
    assert not match_round.proposals.exists()


def test_running_a_round_twice_does_not_duplicate_proposals(program, admin_user):
    match_round = round_create(program=default_program(), name="Twice", created_by=admin_user, enqueue=False)

    round_run(round_id=match_round.pk)
    round_run(round_id=match_round.pk)

    assert match_round.proposals.count() == 3


def test_a_cancelled_round_cannot_be_published(run_round, admin_client_api, program):
    round_id = run_round().json()["id"]

    assert admin_client_api.post(f"{URL}{round_id}/cancel/").json()["status"] == "cancelled"
    assert admin_client_api.post(f"{URL}{round_id}/publish/").status_code == 409


def test_the_command_line_runs_exports_and_refuses_bad_settings(program, tmp_path, capsys):
    call_command("run_match_round", "--name", "From the shell", "--sync")
    out = capsys.readouterr().out
    round_id = MatchRound.objects.get(name="From the shell").pk
    assert f"Round {round_id}" in out
    assert '"matched": 3' in out

    target = tmp_path / "proposals.csv"
    call_command("export_match_round", str(round_id), "--output", str(target))
    assert target.read_text().splitlines()[0] == "mentee_username,mentor_username,score"
    assert len(target.read_text().splitlines()) == 4

    with pytest.raises(CommandError, match="cannot be negative"):
        call_command("run_match_round", "--name", "Bad", "--sync", "--skills", "-1")
    with pytest.raises(CommandError, match="No match round"):
        call_command("export_match_round", "999999")


def test_a_large_pool_is_searched_in_slices_with_the_same_proposals(program, admin_user, settings):
    def proposals_of_a_round(name):
        match_round = round_create(program=default_program(), name=name, created_by=admin_user, enqueue=False)
        round_run(round_id=match_round.pk)
        match_round.refresh_from_db()
        assert match_round.status == "proposed", match_round.error
        return match_round, sorted(match_round.proposals.values_list("mentee_id", "mentor_id", "score"))

    _, whole = proposals_of_a_round("in one go")
    settings.MATCH_SCALE_OUT_MENTEES, settings.MATCH_SLICE_MENTEES = 2, 1  # every mentee a slice of its own

    split_round, split = proposals_of_a_round("in slices")

    assert split == whole
    assert split_round.progress == 1.0
    assert split_round.stats["stage_seconds"]["candidates"] >= 0


def test_a_slice_that_loses_the_shared_state_fails_the_round_with_the_reason(program, admin_user):
    match_round = round_create(program=default_program(), name="lost", created_by=admin_user, enqueue=False)
    MatchRound.objects.filter(pk=match_round.pk).update(status="running")

    with pytest.raises(RuntimeError):
        round_search_slice(round_id=match_round.pk, run="gone", start=0, stop=1, slices=2)

    match_round.refresh_from_db()
    assert match_round.status == "failed"
    assert "was lost" in match_round.error


def test_someone_who_mentors_and_is_mentored_in_a_program_is_never_proposed_to_themselves(
    run_round, admin_client_api, program
):
    """Amy teaches what she wants to learn, and her bio says what her goal does: her own best match, on paper."""
    amy = program["amy"]
    MembershipFactory(user=amy, role="mentor", capacity=1)
    amy.profile.skills.set(amy.profile.wanted_skills.all())
    amy.profile.bio = "I build data pipelines in Python."
    amy.profile.save(update_fields=["bio"])

    round_id = run_round().json()["id"]

    pairs = MatchProposal.objects.filter(round_id=round_id).values_list("mentee_id", "mentor_id")
    assert pairs and all(mentee != mentor for mentee, mentor in pairs)
