"""How a published round's pairs turned out: the one outcome label (matching.outcomes) and the round page's score
bands (matching.round_outcomes), in the three formats."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching import outcomes
from matching.round_outcomes import round_outcomes
from mentorship.models import Feedback, MentorshipMember
from tests.factories import MatchRoundFactory, ProgramFactory, SessionFactory, default_program
from tests.matching.outcome_history import proposed_pair, published_round


def outcome_of(proposal) -> str:
    return outcomes.published_proposals(proposal.round.program).get(pk=proposal.pk).outcome


@pytest.fixture(params=["one_on_one", "group", "peer"])
def program(request, db):
    if request.param == "one_on_one":
        return default_program()
    return ProgramFactory(slug=f"{request.param}-program", format=request.param)


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ({"sessions": 3, "rating": 4}, outcomes.GOOD),
        ({"sessions": 6, "rating": 5}, outcomes.GOOD),
        ({"sessions": 2, "rating": 5}, outcomes.POOR),  # ended early
        ({"sessions": 4, "rating": 2}, outcomes.POOR),
        ({"sessions": 4, "rating": 3}, outcomes.UNLABELLED),  # middling
        ({"sessions": 4, "rating": None}, outcomes.UNLABELLED),  # never rated
        ({"sessions": 5, "rating": 5, "stay": "active"}, outcomes.UNLABELLED),  # still going
        ({"answer": "declined"}, outcomes.POOR),
        ({"answer": "expired"}, outcomes.POOR),
        ({"answer": "withdrawn"}, outcomes.UNLABELLED),
        ({"answer": "pending"}, outcomes.UNLABELLED),
        ({"answer": None}, outcomes.UNLABELLED),  # skipped at publication
    ],
)
def test_a_proposed_pair_is_labelled_by_how_it_turned_out(program, history, expected):
    proposal = proposed_pair(published_round(program), **history)

    assert outcome_of(proposal) == expected


def test_the_sessions_and_ratings_of_a_pair_are_counted(program):
    proposal = proposed_pair(published_round(program), sessions=3, rating=4)

    row = outcomes.published_proposals(program).get(pk=proposal.pk)

    assert (row.request_status, row.stay_status, row.sessions_held) == ("accepted", "ended", 3)
    assert (row.ratings, row.rating_average) == (6, 4.0)  # both people rated each session


def test_a_circle_members_outcome_is_their_own_stay(db):
    """Two members of one circle: one left after a session, the other stayed to its end and rated it well."""
    program = ProgramFactory(slug="circles", format="group")
    match_round = published_round(program)
    stayed = proposed_pair(match_round, sessions=0)
    circle = stayed.request.members.get().mentorship
    left = proposed_pair(match_round, mentor=stayed.mentor, circle=circle, stay="left", sessions=1, rating=5)
    for _ in range(3):
        session = SessionFactory(mentorship=circle, attendees=[stayed.mentee, stayed.mentor])
        Feedback.objects.create(session=session, author=stayed.mentee, rating=5)

    assert outcome_of(stayed) == outcomes.GOOD
    assert outcome_of(left) == outcomes.POOR


def test_a_member_back_in_a_circle_has_a_stay_of_their_own(db):
    """Ana left Otto's circle after one session and came back later through another round: her first stay is the
    one session (poor), her second, still going, the three since."""
    program = ProgramFactory(slug="circles", format="group")
    first = proposed_pair(published_round(program), stay="left", sessions=0)
    circle = first.request.members.get().mentorship
    stay = first.request.members.get()
    stay.joined_at, stay.left_at = timezone.now() - dt.timedelta(days=100), timezone.now() - dt.timedelta(days=60)
    stay.save()
    again = proposed_pair(
        published_round(program), mentee=first.mentee, mentor=first.mentor, circle=circle, stay="active"
    )
    MentorshipMember.objects.filter(request=again.request).update(joined_at=timezone.now() - dt.timedelta(days=40))
    for days_ago in (90, 30, 20, 10):
        session = SessionFactory(
            mentorship=circle, date=timezone.localdate() - dt.timedelta(days=days_ago), attendees=[first.mentee]
        )
        Feedback.objects.create(session=session, author=first.mentee, rating=5)

    rows = {p.pk: p for p in outcomes.published_proposals(program)}

    assert (rows[first.pk].sessions_held, rows[first.pk].outcome) == (1, outcomes.POOR)
    assert (rows[again.pk].sessions_held, rows[again.pk].ratings, rows[again.pk].stay_status) == (3, 3, "active")


def test_only_published_rounds_count(program):
    proposed_pair(MatchRoundFactory(program=program, status="proposed"), answer=None)
    kept = proposed_pair(published_round(program), answer="declined")

    assert list(outcomes.published_proposals(program).values_list("pk", flat=True)) == [kept.pk]


def test_higher_scores_that_fared_better_are_read_as_such(program):
    match_round = published_round(program)
    for i in range(3):
        proposed_pair(match_round, score=0.9 - i / 100, sessions=5, rating=5)
        proposed_pair(match_round, score=0.6 - i / 100, sessions=3, rating=2)
        proposed_pair(match_round, score=0.3 - i / 100, answer="declined")

    result = round_outcomes(match_round)

    top, bottom = result.bands[0], result.bands[-1]
    assert [band.name for band in result.bands] == ["Top third", "Middle third", "Bottom third"]
    assert (top.pairs, top.accepted, top.meetings_per_pair, top.rating_average, top.good) == (3, 3, 5, 5.0, 3)
    assert (bottom.accepted_share, bottom.meetings_per_pair, bottom.poor) == (0, None, 3)
    assert (top.highest_score, top.lowest_score) == (0.9, 0.88)
    assert result.reading == "Higher scores: more accepted, more good outcomes."


def test_bands_that_go_no_way_have_no_clear_pattern(program):
    match_round = published_round(program)
    for score in (0.9, 0.8, 0.7, 0.6, 0.5, 0.4):
        proposed_pair(match_round, score=score, answer="accepted" if score in (0.9, 0.4) else "declined")

    assert round_outcomes(match_round).reading == "No clear pattern yet between the score and how pairs fared."


def test_lower_scores_that_fared_better_are_read_as_such(program):
    match_round = published_round(program)
    for score in (0.9, 0.8, 0.7, 0.6, 0.5, 0.4):
        proposed_pair(match_round, score=score, answer="declined" if score > 0.6 else "accepted", stay="active")

    assert round_outcomes(match_round).reading == "Higher scores did not mean better mentorships here: fewer accepted."


def test_few_pairs_make_one_band_and_skipped_proposals_none(program):
    match_round = published_round(program)
    proposed_pair(match_round, sessions=3, rating=5)
    proposed_pair(match_round, answer=None)

    result = round_outcomes(match_round)

    assert [(band.name, band.pairs) for band in result.bands] == [("All pairs", 1)]
    assert result.reading == "Too few pairs were published to compare score bands."


def test_the_bands_take_one_query_whatever_the_rounds_size(program):
    small, large = published_round(program), published_round(program)
    proposed_pair(small, sessions=1, rating=4)
    for i in range(9):
        proposed_pair(large, score=i / 10, sessions=i % 4, rating=1 + i % 5)

    counts = []
    for match_round in (small, large):
        with CaptureQueriesContext(connection) as queries:
            round_outcomes(match_round)
        counts.append(len(queries))

    assert counts == [1, 1]


def test_a_published_rounds_page_shows_its_bands(client, admin_user, program):
    match_round = published_round(program)
    for i in range(6):
        proposed_pair(match_round, score=0.9 - i / 10, sessions=4, rating=5 if i < 3 else 2)
    client.force_login(admin_user)

    page = client.get(f"/rounds/{match_round.pk}/", {"program": program.slug}).content.decode()

    assert "How its pairs fared" in page
    assert "Top third" in page and "Bottom third" in page
    assert "Higher scores: better ratings, more good outcomes." in page


def test_a_round_not_yet_published_has_no_outcome_section(client, admin_user, program):
    match_round = MatchRoundFactory(program=program, status="proposed", stats={"matched": 0})
    client.force_login(admin_user)

    page = client.get(f"/rounds/{match_round.pk}/", {"program": program.slug}).content.decode()

    assert "How its pairs fared" not in page


def test_a_round_that_published_nothing_says_so(program):
    match_round = published_round(program)
    proposed_pair(match_round, answer=None)

    result = round_outcomes(match_round)

    assert (result.bands, result.reading) == ([], "No proposal of this round was published.")
