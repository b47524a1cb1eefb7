"""Publishing a round: checked against the state of the day, in part with a report of what was skipped and why,
refused when too old, and told to both sides (one email per mentor, one per mentee)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from matching.models import MatchProposal, MatchRound
from mentorship.models import MentorshipRequest
from programs.models import Membership, Program
from tests.factories import (
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    ProgramFactory,
    RequestFactory,
    person,
    with_profile,
)
from tests.matching.test_rounds_api import URL
from tests.openapi import assert_matches_schema

Role = Membership.Role


@pytest.fixture
def publish(admin_client_api, django_capture_on_commit_callbacks):
    """Publish a round as its admin, with the work queued after the commit done (emails)."""

    def go(round_id, url=URL):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client_api.post(f"{url}{round_id}/publish/")

    return go


def skip_reasons(round_id) -> dict[str, str]:
    proposals = MatchProposal.objects.filter(round_id=round_id).select_related("mentee")
    return {p.mentee.username: p.skip_reason for p in proposals}


def membership(user, role, program=None) -> Membership:
    return Membership.objects.get(user=user, role=role, program=program or Program.objects.default())


# Each changes the state of the day for Bo's proposal (Bo with Lou, who has one slot) after the round ran.
CHANGES = {
    "mentee_left": lambda p: Membership.objects.filter(pk=membership(p["bo"], Role.MENTEE).pk).update(status="left"),
    "mentee_matched": lambda p: MentorshipFactory(mentee=p["bo"]),
    "mentee_asked": lambda p: RequestFactory(mentee=p["bo"]),
    "pair_excluded": lambda p: RequestFactory(mentee=p["bo"], mentor=p["lou"], status="declined"),
    "mentor_left": lambda p: Membership.objects.filter(pk=membership(p["lou"], Role.MENTOR).pk).update(status="left"),
    "mentor_not_accepting": lambda p: with_profile(p["lou"], skills=["Leadership"], accepting=False),
    "mentor_full": lambda p: MentorshipFactory(mentor=p["lou"]),
}


@pytest.mark.parametrize("reason", sorted(CHANGES))
def test_a_proposal_that_no_longer_holds_is_skipped_with_its_reason_and_the_rest_published(
    reason, run_round, admin_client_api, publish, program
):
    round_id = run_round().json()["id"]
    CHANGES[reason](program)

    response = publish(round_id)

    assert response.status_code == 200, response.json()
    stats = response.json()["stats"]
    assert (stats["published"], stats["skipped"]) == (2, 1)
    assert stats["skipped_reasons"] == {reason: 1}
    assert skip_reasons(round_id) == {"amy": "", "bo": reason, "cy": ""}
    assert not MentorshipRequest.objects.filter(mentee=program["bo"], origin="match_round").exists()
    assert MentorshipRequest.objects.filter(origin="match_round", status="pending").count() == 2
    proposals = admin_client_api.get(f"{URL}{round_id}/proposals/").json()["results"]
    assert {p["mentee"]["username"]: p["skip_reason"] for p in proposals} == {"amy": None, "bo": reason, "cy": None}
    # Only the people of published proposals are told: Pia once (Amy and Cy), Amy and Cy.
    assert sorted(m.to[0] for m in mail.outbox) == ["amy@example.org", "cy@example.org", "pia@example.org"]


def test_a_mentors_room_counts_the_offers_made_earlier_in_the_same_publication(run_round, publish, program):
    round_id = run_round().json()["id"]
    with_profile(program["pia"], skills=["Python", "SQL"], industry="Healthcare", capacity=1)  # Amy and Cy proposed

    stats = publish(round_id).json()["stats"]

    assert stats["skipped_reasons"] == {"mentor_full": 1}
    assert skip_reasons(round_id) == {"amy": "", "bo": "", "cy": "mentor_full"}  # the better score keeps the slot


def test_the_answer_and_the_page_say_what_was_skipped_and_why(run_round, publish, client, admin_user, program):
    round_id = run_round().json()["id"]
    MentorshipFactory(mentee=program["amy"])
    MentorshipFactory(mentee=program["cy"])
    MentorshipFactory(mentor=program["lou"])

    response = publish(round_id)

    report = "0 published; 3 skipped: 2 mentees already matched, 1 whose mentor is full."
    assert response.json()["publish_report"] == report
    assert_matches_schema(response)
    client.force_login(admin_user)
    page = client.get(f"/rounds/{round_id}/").content.decode()
    assert report in page
    assert "Not published: the mentee has as many mentors as the program allows" in page
    assert not mail.outbox


def test_publishing_tells_each_mentor_once_with_all_their_proposals_and_each_mentee_what_happens_next(
    run_round, publish, program
):
    round_id = run_round().json()["id"]

    publish(round_id)

    to = {message.to[0]: message for message in mail.outbox}
    assert sorted(to) == sorted(f"{name}@example.org" for name in ("pia", "lou", "amy", "bo", "cy"))
    digest = to["pia@example.org"]
    assert "2 mentees" in digest.subject
    assert "- Amy: a " in digest.body and "- Cy: a " in digest.body
    assert "Skills: Python, SQL" in digest.body and "Industry: Healthcare" in digest.body
    assert "Their goals: Build data pipelines in Python" in digest.body
    assert "http://testserver/requests/" in digest.body
    to_amy = to["amy@example.org"]
    assert "Pia as your mentor" in to_amy.subject
    assert "within 14 days" in to_amy.body
    assert "http://testserver/requests/" in to_amy.body


def test_an_offer_answered_before_its_email_goes_out_is_not_announced(
    run_round, admin_client_api, program, django_capture_on_commit_callbacks
):
    from matching.publishing import round_announce

    round_id = run_round().json()["id"]
    admin_client_api.post(f"{URL}{round_id}/publish/")  # the emails wait for a commit that never comes here
    MentorshipRequest.objects.filter(mentee=program["cy"]).update(status="withdrawn")
    MentorshipRequest.objects.filter(mentee=program["bo"]).update(status="withdrawn")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # a task commits each notice; its email follows
        round_announce(round_id=round_id, site_url="https://mentoring.example.org")

    assert sorted(m.to[0] for m in mail.outbox) == ["amy@example.org", "pia@example.org"]
    assert "proposes Amy as your mentee" in mail.outbox[0].subject + mail.outbox[1].subject


def make_stale(round_id, days_ago):
    MatchRound.objects.filter(pk=round_id).update(finished_at=timezone.now() - dt.timedelta(days=days_ago))


def test_a_round_older_than_the_request_expiry_is_409_and_says_to_run_it_again(
    run_round, admin_client_api, publish, client, admin_user, program
):
    round_id = run_round().json()["id"]
    make_stale(round_id, days_ago=15)  # the program's requests expire after 14 days

    response = publish(round_id)

    assert response.status_code == 409
    assert response.json()["code"] == "round_stale"
    assert_matches_schema(response)
    assert not MentorshipRequest.objects.exists()
    assert not mail.outbox
    body = admin_client_api.get(f"{URL}{round_id}/").json()
    assert (body["status"], body["stale"]) == ("proposed", True)
    client.force_login(admin_user)
    page = client.get(f"/rounds/{round_id}/").content.decode()
    assert "Run again with the same settings" in page
    assert f"/match-rounds/{round_id}/publish/" not in page


def test_a_round_within_the_request_expiry_publishes(run_round, admin_client_api, publish, program):
    round_id = run_round().json()["id"]
    make_stale(round_id, days_ago=13)

    body = admin_client_api.get(f"{URL}{round_id}/").json()
    assert body["stale"] is False
    assert body["publishable_until"] is not None
    assert publish(round_id).status_code == 200


def test_running_a_round_again_copies_its_settings_over_todays_pool(
    run_round, admin_client_api, django_capture_on_commit_callbacks, program
):
    settings = {"mode": "stable", "min_score": 0.05, "top_k": 7, "weights": {"skills": 3, "industry": 0, "goals": 1}}
    old_id = run_round(**settings).json()["id"]
    make_stale(old_id, days_ago=30)
    MentorshipFactory(mentee=program["cy"])  # no longer waiting

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_api.post(f"{URL}{old_id}/rerun/")

    assert response.status_code == 202
    assert_matches_schema(response)
    new = MatchRound.objects.get(pk=response.json()["id"])
    assert new.name == "Spring (again)"
    assert (new.mode, new.min_score, new.top_k, new.weights) == ("stable", 0.05, 7, settings["weights"])
    assert new.status == "proposed"
    assert set(new.proposals.values_list("mentee__username", flat=True)) == {"amy", "bo"}
    assert MatchRound.objects.get(pk=old_id).status == "proposed"  # kept for the record
    again = admin_client_api.post(f"{URL}{new.pk}/rerun/").json()
    assert MatchRound.objects.get(pk=again["id"]).name == "Spring (again)"


# --- Group programs: the smallest circle ------------------------------------------------------------------------


@pytest.fixture
def circles(db):
    """A group program: Pia teaches Python and SQL (room for 4), Lou SQL (room for 2); Ana and Bo want Python, Cy
    and Di SQL."""
    group = ProgramFactory(slug="circles", name="Circles", format=Program.Format.GROUP)
    people = {"program": group}
    for name, skills, capacity in (("pia", ["Python", "SQL"], 4), ("lou", ["SQL"], 2)):
        mentor = MentorFactory(username=name, full_name=name.title())
        MembershipFactory(user=mentor, program=group, role=Role.MENTOR, capacity=capacity)
        people[name] = with_profile(mentor, skills=skills, program=group)
    for name, skills in (("ana", ["Python"]), ("bo", ["Python"]), ("cy", ["SQL"]), ("di", ["SQL"])):
        people[name] = person(MenteeFactory, name, skills=skills)
        MembershipFactory(user=people[name], program=group, role=Role.MENTEE)
    return people


CIRCLES_URL = "/api/v1/programs/circles/match-rounds/"


def run_circles_round(client, capture, **body):
    with capture(execute=True):
        response = client.post(CIRCLES_URL, {"name": "Circles", **body}, format="json")
    assert response.status_code == 202, response.json()
    return response.json()["id"]


def mentors_of(round_id) -> dict[str, str]:
    proposals = MatchProposal.objects.filter(round_id=round_id).select_related("mentee", "mentor")
    return {p.mentee.username: p.mentor.username for p in proposals}


def test_a_circle_below_the_minimum_is_not_proposed_and_its_mentees_join_another(
    circles, admin_client_api, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks

    free = run_circles_round(admin_client_api, capture)
    at_least_three = run_circles_round(admin_client_api, capture, min_group_size=3)

    assert set(mentors_of(free).values()) == {"pia", "lou"}
    assert mentors_of(at_least_three) == {"ana": "pia", "bo": "pia", "cy": "pia", "di": "pia"}
    body = admin_client_api.get(f"{CIRCLES_URL}{at_least_three}/").json()
    assert body["min_group_size"] == 3
    assert body["stats"]["circles_closed"] == 1
    proposal = admin_client_api.get(f"{CIRCLES_URL}{at_least_three}/proposals/").json()["results"][0]
    assert proposal["explanation"]["circle"]["size"] == 4
    assert_matches_schema(admin_client_api.get(f"{CIRCLES_URL}{at_least_three}/proposals/"))


def test_members_already_in_a_circle_count_toward_its_minimum(
    circles, admin_client_api, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user__username__in=["cy", "di"], program=circles["program"]).delete()
    member = MenteeFactory()
    MembershipFactory(user=member, program=circles["program"], role=Role.MENTEE)
    capture = django_capture_on_commit_callbacks
    alone = run_circles_round(admin_client_api, capture, min_group_size=3)
    MentorshipFactory(program=circles["program"], mentor=circles["pia"], mentee=member)  # Pia's circle has one

    with_one = run_circles_round(admin_client_api, capture, min_group_size=3)

    assert mentors_of(alone) == {}
    assert mentors_of(with_one) == {"ana": "pia", "bo": "pia"}


def test_publishing_skips_a_circle_left_below_the_minimum(
    circles, admin_client_api, publish, django_capture_on_commit_callbacks
):
    round_id = run_circles_round(admin_client_api, django_capture_on_commit_callbacks, min_group_size=3)
    Membership.objects.filter(user__username__in=["ana", "bo"], program=circles["program"]).update(status="left")

    stats = publish(round_id, url=CIRCLES_URL).json()["stats"]

    assert stats["skipped_reasons"] == {"mentee_left": 2, "circle_too_small": 2}
    assert stats["published"] == 0
    assert not mail.outbox


@pytest.mark.parametrize("size", [0, 51, "three"])
def test_a_minimum_circle_size_out_of_range_is_400(size, circles, admin_client_api):
    response = admin_client_api.post(CIRCLES_URL, {"name": "Circles", "min_group_size": size}, format="json")

    assert response.status_code == 400
    assert "min_group_size" in response.json()
    assert not MatchRound.objects.exists()


def test_a_minimum_circle_size_outside_a_group_program_is_400(run_round, program):
    response = run_round(min_group_size=3)

    assert response.status_code == 400
    assert "min_group_size" in response.json()
    assert run_round(min_group_size=1).status_code == 202


def test_the_command_line_takes_the_smallest_circle(circles):
    call_command("run_match_round", "--name", "From the shell", "--program", "circles", "--min-group-size", "3",
                 "--sync")  # fmt: skip

    match_round = MatchRound.objects.get(name="From the shell")
    assert match_round.min_group_size == 3
    assert mentors_of(match_round.pk) == {"ana": "pia", "bo": "pia", "cy": "pia", "di": "pia"}
    with pytest.raises(CommandError, match="min_group_size"):
        call_command("run_match_round", "--name", "Bad", "--program", "main", "--min-group-size", "3", "--sync")
