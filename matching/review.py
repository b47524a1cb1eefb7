"""Reads for a program admin reviewing a proposed round: the mentors an override may pick (those with room once this
round's own proposals are counted) with the new pair's score, reasons and warnings before anything is saved; and the
round in plain words (its figures, its rules, why each mentee left out was). Writes are matching.rounds'.

A pair is scored against the pool's vocabulary as the round was (every waiting mentee, every mentor with a slot
open), so that a new score compares with the round's others; the override scores what it saves the same way, with
the same fitted scorer.
"""

from dataclasses import dataclass

from django.db.models import Q

from accounts.directory import directory_cached
from accounts.models import User
from config.errors import Conflict
from matching import engine, selectors
from matching.models import MatchProposal, MatchRound, UnmatchedMentee
from matching.runner import engine_settings
from programs.models import Membership, Program

# Under this score (when the round sets no minimum of its own) a pair has little in common: less than sharing an
# industry alone, or half of their skills, with the default weights. Overriding to it asks for a confirmation.
LOW_SCORE = 0.2
# Scores are sums of floating-point terms: a pair sharing half its skills scores 0.19999999999999998, not 0.2.
SCORE_TOLERANCE = 1e-9
LOW_SCORE_CODE = "low_score"
BROKEN_RULE_CODE = "breaks_round_rule"


@dataclass(frozen=True)
class OverrideWarning:
    code: str  # LOW_SCORE_CODE or BROKEN_RULE_CODE
    detail: str


@dataclass(frozen=True)
class PairReview:
    """A mentee with one mentor, as an override would propose them."""

    mentor_id: int
    score: float
    explanation: dict
    warnings: list[OverrideWarning]


@dataclass(frozen=True)
class Candidate:
    mentor: User
    open_slots: int  # now, before this round is published
    open_slots_after_round: int  # once this round's other proposals take theirs
    pair: PairReview


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def require_overridable(match_round: MatchRound) -> None:
    """409 unless an admin may still change this round's proposals by hand: a proposed round of mentors and
    mentees. A peer round's pairs are changed by running it again (each peer is in one pair: moving one breaks
    another), with other settings or after excluding a pair by declining it."""
    if match_round.status != MatchRound.Status.PROPOSED:
        raise Conflict(f"Proposals of a {match_round.status} round cannot change.", code="not_proposed")
    if match_round.program.format == Program.Format.PEER:
        raise Conflict(
            "A peer round's pairs cannot be changed one by one: run the round again with other settings.",
            code="peer_round",
        )


def low_score_threshold(match_round: MatchRound) -> tuple[float, str]:
    """The score under which an override asks for a confirmation, and what that score is: the round's own minimum
    when it has one, else LOW_SCORE."""
    if match_round.min_score > 0:
        return match_round.min_score, "this round's minimum score, under which the matcher proposes no pair"
    return LOW_SCORE, "the score under which a pair has little in common"


def _warnings(match_round: MatchRound, score: float, broken: list[str]) -> list[OverrideWarning]:
    found = []
    threshold, what = low_score_threshold(match_round)
    if score < threshold - SCORE_TOLERANCE:
        if score <= SCORE_TOLERANCE:
            words = "They have nothing in common: no skill, no industry, no goal word."
        else:
            words = f"The score, {_percent(score)}, is under {_percent(threshold)}, {what}."
        found.append(OverrideWarning(LOW_SCORE_CODE, words))
    for rule in broken:
        if rule == engine.SAME_INDUSTRY:
            words = "They work in different industries, and this round pairs people within one industry only."
        else:
            hours = f"{match_round.max_timezone_hours:g}"
            words = (
                f"Their time zones are more than {hours} hours apart (or one is unknown), the most this round allows."
            )
        found.append(OverrideWarning(BROKEN_RULE_CODE, words))
    return found


@dataclass(frozen=True)
class _FittedRound:
    """A round's scorer fitted on the pool as it is now, and the mentors' side of it."""

    scorer: engine.Scorer
    options: engine.Options
    mentors: engine.Participants  # every mentor with a slot open
    mentor_blocks: dict


def _fit(match_round: MatchRound) -> _FittedRound:
    program = match_round.program
    weights, options = engine_settings(match_round)
    mentees = selectors.mentee_pool(program)
    mentors, _ = selectors.mentor_pool(program)
    scorer = engine.Scorer(weights)
    _, mentor_blocks = scorer.fit_blocks(mentees, mentors)
    return _FittedRound(scorer, options, mentors, mentor_blocks)


def _fitted(match_round: MatchRound, mentor_ids: list[int]) -> _FittedRound:
    """The round's fitted scorer, kept in the directory's cache until a mentor or a slot changes: fitting reads the
    whole pool (seconds in a large program), and a search asks at every keystroke. Fitted afresh should a mentor
    asked for have had a slot open since."""
    fitted = directory_cached(f"round-review:{match_round.pk}", lambda: _fit(match_round))
    if not set(mentor_ids) <= set(fitted.mentors.ids):
        fitted = _fit(match_round)
    return fitted


def pair_reviews(match_round: MatchRound, mentee_id: int, mentor_ids: list[int]) -> dict[int, PairReview]:
    """The mentee with each of `mentor_ids` (mentors with a slot open now; others are left out), scored and
    explained as the round would, with what an admin is warned of before proposing them."""
    fitted = _fitted(match_round, mentor_ids)
    mentee = selectors.mentee_pool(match_round.program, [mentee_id])
    pool = set(fitted.mentors.ids)
    wanted = [mentor_id for mentor_id in mentor_ids if mentor_id in pool]
    if not len(mentee) or not wanted:
        return {}
    scored = engine.score_against(
        mentee, fitted.mentors, wanted, scorer=fitted.scorer, mentor_blocks=fitted.mentor_blocks
    )
    broken = engine.broken_rules(
        mentee, fitted.mentors, [(mentee_id, mentor_id) for mentor_id in wanted], options=fitted.options
    )
    return {
        p.mentor_id: PairReview(p.mentor_id, p.score, p.explanation, _warnings(match_round, p.score, b))
        for p, b in zip(scored, broken, strict=True)
    }


def proposal_candidates(*, proposal: MatchProposal, query: str = "") -> list[Candidate]:
    """The program's mentors an admin may propose to this proposal's mentee instead: a slot open once this round's
    other proposals are counted, never a pair excluded (their mentor now or before, a decline) nor the mentee
    themselves; their names containing `query`. Best score first."""
    match_round = proposal.round
    room = selectors.mentor_room_after_round(match_round, except_proposal_id=proposal.pk)
    excluded = {mentor for _, mentor in selectors.excluded_pairs(match_round.program, [proposal.mentee_id])}
    with_room = {m for m, (_, after) in room.items() if after > 0 and m not in excluded and m != proposal.mentor_id}
    # Named by the program's mentor memberships rather than a list of ids, which may be long.
    mentors = Membership.objects.in_program(match_round.program).mentors().values("user_id")
    people = User.objects.filter(pk__in=mentors).order_by("full_name", "pk")
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    people = [p for p in people.only("pk", "username", "full_name") if p.pk in with_room]
    if not people:
        return []
    reviews = pair_reviews(match_round, proposal.mentee_id, [p.pk for p in people])
    found = [Candidate(p, *room[p.pk], reviews[p.pk]) for p in people if p.pk in reviews]
    return sorted(found, key=lambda c: -c.pair.score)  # stable: by name among equal scores


# --- The round in words -------------------------------------------------------------------------------------

MODE_HELP = {
    MatchRound.Mode.OPTIMAL: "The largest total score over the whole program. A few pairs may both prefer each other "
    "to their proposals, traded for a better whole.",
    MatchRound.Mode.STABLE: "Best pairs first: no mentor and mentee are left who would both rather be together than "
    "with their proposals. Fairer to each person; the total may be a little lower.",
}


PEER_MODE_HELP = {
    MatchRound.Mode.OPTIMAL: "The largest total score over the whole program: the exact best pairing (a fast method "
    "proven close to it above 3,000 peers). A few peers may both prefer each other to their partners.",
    MatchRound.Mode.STABLE: "No two peers left who would both rather be together than with their partners. Some "
    "programs have no such pairing: the round then says so and gives the best total instead.",
}


def mode_help(mode: str, program: Program) -> str:
    return (PEER_MODE_HELP if program.format == Program.Format.PEER else MODE_HELP)[mode]


@dataclass(frozen=True)
class Figure:
    value: str
    label: str
    explanation: str


def round_figures(match_round: MatchRound) -> list[Figure]:
    """The round's stats as a reader without the jargon needs them: a figure, what it counts, one line on why it
    matters. A peer round's count pairs and peers; a group round's add its circles."""
    stats = match_round.stats or {}
    if "matched" not in stats:
        return []
    if match_round.program.format == Program.Format.PEER:
        return _peer_figures(match_round, stats)
    left_out = sum((stats.get("unmatched") or {}).values()) if "unmatched" in stats else None
    stable = match_round.mode == MatchRound.Mode.STABLE
    figures = [
        Figure(str(stats["matched"]), "Proposals", "Mentees given a mentor, for you to review before anyone is told."),
        Figure(
            str(stats.get("mentees", "—")),
            "Mentees waiting",
            "Mentees of the program with room for a mentor and no request pending when the round ran.",
        ),
        Figure(
            str(stats.get("mentors", "—")),
            "Mentors with room",
            "Mentors accepting requests with at least one open slot when the round ran.",
        ),
    ]
    if "circles" in stats:
        figures.append(
            Figure(str(stats["circles"]), "Circles", "Mentors' circles that get new members from this round.")
        )
    if stats.get("circles_closed"):
        figures.append(
            Figure(
                str(stats["circles_closed"]),
                "Circles left under the smallest size",
                "They would have been smaller than this round allows; their mentees went to other circles where "
                "they fit.",
            )
        )
    if left_out is not None:
        figures.append(Figure(str(left_out), "Left without a proposal", "Each is listed below with the reason."))
    figures.append(_average(stats, "How well the proposed pairs fit: shared skills, industry and goal words"))
    if "blocking_pairs" in stats:
        figures.append(
            Figure(
                str(stats["blocking_pairs"]),
                "Pairs who would both rather be with each other than with their proposal",
                "A stable round has none."
                if stable
                else "A stable round has none; a round for the best total may leave a few for a higher total.",
            )
        )
    figures += _published(stats, "the mentee or mentor had moved on since the round ran")
    return figures


def _peer_figures(match_round: MatchRound, stats: dict) -> list[Figure]:
    left_out = sum((stats.get("unmatched") or {}).values())
    figures = [
        Figure(str(stats["matched"]), "Pairs", "Peers paired two by two, for you to review before anyone is told."),
        Figure(
            str(stats.get("peers", "—")),
            "Peers waiting",
            "Peers of the program with room for a partner and no request pending when the round ran.",
        ),
        Figure(
            str(left_out),
            "Left without a partner",
            "Each is listed below with the reason. With an odd number of peers, one always is.",
        ),
        _average(stats, "How well the pairs fit, both ways: what each can help the other with, industry, language"),
    ]
    bound = stats.get("optimum_bound")
    if match_round.mode == MatchRound.Mode.OPTIMAL and stats.get("method") == "double_cover" and bound:
        figures.append(
            Figure(
                _percent(min(stats["total_score"] / bound, 1.0)),
                "Of the best possible total, at least",
                "A program this large is paired by a fast method; it comes this close to the best total or closer.",
            )
        )
    if match_round.mode == MatchRound.Mode.STABLE:
        if stats.get("stable"):
            figures.append(
                Figure("Yes", "Stable", "No two peers would both rather be together than with their partners.")
            )
        else:
            figures.append(
                Figure(
                    "No",
                    "Stable",
                    "No stable pairing exists for these peers: whatever the pairs, some two would rather be "
                    f"together. These pairs have the best total; {stats.get('blocking_pairs', 0)} pairs of peers "
                    "would rather swap.",
                )
            )
    figures += _published(stats, "a peer had moved on since the round ran")
    return figures


def _average(stats: dict, what: str) -> Figure:
    return Figure(_percent(stats.get("mean_score") or 0), "Average score", f"{what}; 100% a perfect fit.")


def _published(stats: dict, why_skipped: str) -> list[Figure]:
    if stats.get("published") is None:
        return []
    return [
        Figure(
            str(stats["published"]),
            "Published",
            f"Sent as requests to answer; {stats.get('skipped', 0)} skipped: {why_skipped}.",
        )
    ]


def round_rules(match_round: MatchRound) -> list[str]:
    """The round's settings, one phrase each."""
    weights = match_round.weights
    peer = match_round.program.format == Program.Format.PEER
    named = ("skills", "industry", "goals", "language") if peer else ("skills", "industry", "goals")
    rules = [
        match_round.get_mode_display(),
        "weights: " + ", ".join(f"{name} {weights.get(name, 0):g}" for name in named if name in weights or not peer),
        f"{match_round.top_k} candidate {'partners per peer' if peer else 'mentors per mentee'}",
        f"minimum score {_percent(match_round.min_score)}" if match_round.min_score else "no minimum score",
    ]
    if match_round.min_group_size > 1:
        rules.append(f"circles of at least {match_round.min_group_size}")
    if match_round.same_industry:
        rules.append("same industry only")
    if match_round.max_timezone_hours is not None:
        rules.append(f"time zones at most {match_round.max_timezone_hours:g} hours apart")
    return rules


def unmatched_reason(row: UnmatchedMentee, match_round: MatchRound) -> str:
    """Why the round proposed nobody to this mentee, in a sentence (the counts are as of the run)."""
    Reason = UnmatchedMentee.Reason
    d = row.details or {}

    def mentors(n: int) -> str:
        return f"{n} mentor{'s' if n != 1 else ''}"

    if match_round.program.format == Program.Format.PEER:
        return _peer_unmatched_reason(row, match_round)
    if row.reason == Reason.NO_MENTOR:
        return "No mentor had an open slot when the round ran."
    if row.reason == Reason.CIRCLES_TOO_SMALL:
        n = d.get("circles_closed", 0)
        circles = "A circle that fits them" if n == 1 else f"{n} circles that fit them"
        return (
            f"{circles} would have stayed smaller than this round's minimum of {match_round.min_group_size}, so "
            f"{'it was' if n == 1 else 'they were'} not proposed; any other circle that fits them was full."
        )
    if row.reason == Reason.EXCLUDED:
        return (
            f"Each mentor with room ({d.get('excluded', 0)}) is or was their mentor in this program, or declined them."
        )
    if row.reason == Reason.SAME_INDUSTRY:
        if d.get("no_industry"):
            return "Their profile names no industry, and this round pairs people within one industry only."
        return f"No mentor with room works in their industry ({mentors(d.get('same_industry', 0))} in others)."
    if row.reason == Reason.TIMEZONE_GAP:
        hours = f"{match_round.max_timezone_hours:g}" if match_round.max_timezone_hours is not None else "the"
        if d.get("no_timezone"):
            return "Their time zone is unknown, and this round limits how far apart time zones may be."
        return f"No mentor with room is within {hours} hours of their time zone."
    if row.reason == Reason.NO_COMMON_GROUND:
        if d.get("empty_profile"):
            return "Their profile has nothing to match on yet: no wanted skill, industry, goal or bio."
        return "They share no skill, industry or goal word with any mentor with room."
    if row.reason == Reason.BELOW_MIN_SCORE:
        return (
            f"Their best possible pair scores {_percent(d.get('best_score', 0))}, under this round's minimum of "
            f"{_percent(match_round.min_score)}."
        )
    if row.reason == Reason.MENTORS_FULL:
        n = d.get("candidates", 0)
        if match_round.mode == MatchRound.Mode.STABLE:
            words = f"The {mentors(n)} who fit them went to mentees they fit better."
        else:
            words = f"The {mentors(n)} who fit them went to other mentees, for the best total score."
        if d.get("top_k_reached"):
            words += " A larger number of candidate mentors per mentee would consider more."
        return words
    return row.get_reason_display()


def _peer_unmatched_reason(row: UnmatchedMentee, match_round: MatchRound) -> str:
    Reason = UnmatchedMentee.Reason
    if row.reason == Reason.EXCLUDED:
        return "Each peer who fits them is or was their partner in this program, or one of the two declined the other."
    if row.reason == Reason.NO_CANDIDATE:
        if match_round.min_score:
            return (
                f"No peer they may pair with shares anything with them, or reaches this round's minimum score of "
                f"{_percent(match_round.min_score)}."
            )
        return "No peer they may pair with shares a wanted skill, goal, industry or language with them."
    if row.reason == Reason.LEFT_OVER:
        words = "The peers who fit them were paired with others"
        if match_round.mode == MatchRound.Mode.STABLE:
            return f"{words}, who fit each other better."
        odd = " With an odd number of peers, one is always left out." if (row.details or {}).get("odd_pool") else ""
        return f"{words}: leaving them out cost the round's total the least.{odd}"
    return row.get_reason_display()
