"""The round review page as served: the round in plain words, proposals in an order an override keeps, and the
mentees left without a proposal with why."""

import re

import pytest

from matching.models import MatchProposal, MatchRound
from tests.factories import (
    MatchProposalFactory,
    MatchRoundFactory,
    MemberFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    ProgramFactory,
    UserFactory,
    person,
)
from tests.matching.test_rounds_api import URL


@pytest.fixture
def signed_in_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def names_on(page: str) -> list[str]:
    return re.findall(r'<h3 class="proposal-names">(\w+) <span', page)


def test_an_override_keeps_its_row_where_it_was(run_round, admin_client_api, signed_in_admin, program):
    """Proposals are listed by mentee name: a new mentor, and a new score, move no row to another place or page."""
    round_id = run_round().json()["id"]
    before = names_on(signed_in_admin.get(f"/rounds/{round_id}/").content.decode())
    sam = person(MentorFactory, "sam", skills=["Python", "SQL"], capacity=1)
    amy = MatchProposal.objects.get(round_id=round_id, mentee=program["amy"])
    admin_client_api.patch(f"{URL}{round_id}/proposals/{amy.pk}/", {"mentor": sam.pk, "confirm": True}, format="json")

    after = names_on(signed_in_admin.get(f"/rounds/{round_id}/").content.decode())

    assert MatchProposal.objects.get(pk=amy.pk).mentor == sam
    assert before == after == ["Amy", "Bo", "Cy"]


def test_the_page_says_who_is_left_out_and_why(run_round, signed_in_admin, program):
    person(MenteeFactory, "dee", skills=["Gardening"])
    round_id = run_round().json()["id"]

    page = signed_in_admin.get(f"/rounds/{round_id}/").content.decode()

    assert "Left without a proposal (1)" in page
    assert "<td>Dee</td><td>They share no skill, industry or goal word with any mentor with room.</td>" in page


def test_a_round_run_before_reasons_were_recorded_says_so(signed_in_admin):
    match_round = MatchRoundFactory(status="proposed", stats={"matched": 1, "mentees": 2, "mean_score": 0.4})
    MatchProposalFactory(round=match_round)

    page = signed_in_admin.get(f"/rounds/{match_round.pk}/").content.decode()

    assert "This round ran before the reasons were recorded" in page


@pytest.mark.parametrize("mode", MatchRound.Mode.values)
def test_the_figures_are_in_plain_words(signed_in_admin, mode):
    match_round = MatchRoundFactory(
        status="proposed",
        mode=mode,
        stats={"matched": 3, "mentees": 4, "mentors": 2, "mean_score": 0.41, "blocking_pairs": 0, "unmatched": {}},
    )

    page = signed_in_admin.get(f"/rounds/{match_round.pk}/").content.decode()

    assert "Pairs who would both rather be with each other than with their proposal" in page
    assert "A stable round has none" in page
    assert "41%" in page
    assert not re.search(r"blocking|rather swap", page, re.IGNORECASE)


def test_a_group_rounds_page_shows_each_circle_with_its_new_members_and_size(signed_in_admin):
    circles = ProgramFactory(slug="circles", name="Circles", format="group")
    gia, hal = UserFactory(full_name="Gia Guide"), UserFactory(full_name="Hal Host")
    circle = MentorshipFactory(program=circles, mentor=gia, mentee=None)
    MemberFactory(mentorship=circle, user=UserFactory(full_name="Old Member"))
    match_round = MatchRoundFactory(program=circles, status="proposed", stats={"matched": 3})
    for mentee, mentor in (("Zed", gia), ("Ann", gia), ("Bea", hal)):
        MatchProposalFactory(round=match_round, mentee=UserFactory(full_name=mentee), mentor=mentor)

    page = signed_in_admin.get(f"/rounds/{match_round.pk}/?program=circles").content.decode()

    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page)
    assert rows == [("Gia Guide", "Ann, Zed", "3 (1 now)"), ("Hal Host", "Bea", "1")]
