from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from accounts.api.serializers import StrictInputSerializer
from accounts.models import MAX_CAPACITY
from config.api import IdField, SingleLineField
from matching import review
from matching.models import MatchProposal, MatchRound, UnmatchedMentee
from matching.publishing import publish_report
from mentorship.api.serializers import MentorOutput, PersonOutput
from programs.models import Program


class WeightsInput(StrictInputSerializer):
    skills = serializers.FloatField(min_value=0, max_value=100, required=False)
    industry = serializers.FloatField(min_value=0, max_value=100, required=False)
    goals = serializers.FloatField(min_value=0, max_value=100, required=False)


class RoundCreateInput(StrictInputSerializer):
    name = SingleLineField(max_length=120)
    weights = WeightsInput(required=False, help_text="Relative weights of the signals; only the proportions matter.")
    mode = serializers.ChoiceField(choices=MatchRound.Mode.choices, required=False)
    top_k = serializers.IntegerField(min_value=1, max_value=500, required=False)
    min_score = serializers.FloatField(min_value=0, max_value=1, required=False)
    same_industry = serializers.BooleanField(required=False)
    max_timezone_hours = serializers.FloatField(min_value=0, max_value=26, required=False, allow_null=True)
    min_group_size = serializers.IntegerField(
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        help_text="Group programs only: a circle (its members and those proposed) smaller than this is not "
        "proposed, and its mentees go to other circles where they fit. Default 1.",
    )


class RoundStats(serializers.Serializer):
    """Empty until the round has run; `published` and `skipped` once it is published."""

    mode = serializers.ChoiceField(choices=MatchRound.Mode.choices, required=False)
    mentees = serializers.IntegerField(required=False, help_text="Mentees waiting when the round ran.")
    mentors = serializers.IntegerField(required=False, help_text="Mentors with an open slot when the round ran.")
    candidate_pairs = serializers.IntegerField(required=False, help_text="Pairs the assignment chose among.")
    matched = serializers.IntegerField(required=False)
    mean_score = serializers.FloatField(required=False)
    total_score = serializers.FloatField(required=False)
    blocking_pairs = serializers.IntegerField(
        required=False,
        help_text="Pairs who would both rather be with each other than with their proposals: a stable round has none.",
    )
    unmatched = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Mentees (peers) left without a proposal, by reason (see the round's `unmatched/`); rounds run "
        "since reasons are recorded.",
    )
    seconds = serializers.FloatField(required=False, help_text="The whole round, load to save.")
    stage_seconds = serializers.DictField(
        child=serializers.FloatField(),
        required=False,
        help_text="Seconds per stage: load, features, candidates, assignment, explain, save.",
    )
    circles = serializers.IntegerField(required=False, help_text="Group rounds: circles proposed to.")
    circles_closed = serializers.IntegerField(
        required=False, help_text="Group rounds: circles with candidates left out, below the minimum size."
    )
    assignment_passes = serializers.IntegerField(
        required=False, help_text="Group rounds: assignments run to keep every circle at the minimum size."
    )
    peers = serializers.IntegerField(required=False, help_text="Peer rounds: peers waiting when the round ran.")
    method = serializers.ChoiceField(
        choices=["exact", "double_cover", "stable_roommates"],
        required=False,
        help_text="Peer rounds: how the pairs were found (`exact`: the maximum-weight matching; `double_cover`: the "
        "fast method of large programs, within `optimum_bound`; `stable_roommates`: a stable pairing).",
    )
    optimum_bound = serializers.FloatField(
        required=False, allow_null=True, help_text="Peer rounds: the best possible total is at most this."
    )
    stable = serializers.BooleanField(
        required=False,
        help_text="Peer rounds: no two peers would both rather be together than with their partners. In `stable` "
        "mode, false when no stable pairing exists (then the pairs have the best total; `blocking_pairs` counts).",
    )
    published = serializers.IntegerField(required=False)
    skipped = serializers.IntegerField(
        required=False, help_text="Proposals not published: they no longer held on the day (skipped_reasons)."
    )
    skipped_reasons = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Skipped proposals by reason: " + ", ".join(MatchProposal.SkipReason.values) + ".",
    )


class RoundOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    mode = serializers.CharField()
    weights = serializers.DictField(child=serializers.FloatField())
    top_k = serializers.IntegerField()
    min_score = serializers.FloatField()
    same_industry = serializers.BooleanField()
    max_timezone_hours = serializers.FloatField(allow_null=True)
    min_group_size = serializers.IntegerField()
    status = serializers.ChoiceField(choices=MatchRound.Status.choices)
    progress = serializers.FloatField()
    stats = serializers.SerializerMethodField()
    publish_report = serializers.SerializerMethodField(
        help_text='Once published, in words: "3 published; 3 skipped: 2 mentees already matched, 1 whose mentor '
        'is full."'
    )
    publishable_until = serializers.DateTimeField(
        allow_null=True, help_text="A proposed round: when it grows too old to publish (the program's request expiry)."
    )
    stale = serializers.BooleanField(
        source="is_stale", help_text="Proposed but too old to publish (409 `round_stale`): run it again."
    )
    error = serializers.CharField()
    created_by = PersonOutput(allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(RoundStats)
    def get_stats(self, match_round) -> dict:
        return match_round.stats

    def get_publish_report(self, match_round) -> str | None:
        return publish_report(match_round.stats) if match_round.status == MatchRound.Status.PUBLISHED else None


class CommonWantOutput(serializers.Serializer):
    skill = serializers.CharField()
    others = serializers.IntegerField(help_text="Others proposed to the circle who want it too.")


class CircleOutput(serializers.Serializer):
    size = serializers.IntegerField(help_text="Members once those proposed join.")
    already = serializers.IntegerField(help_text="Members already in the circle.")
    common_wants = CommonWantOutput(many=True)
    summary = serializers.CharField()


class ExplanationOutput(serializers.Serializer):
    blocks = serializers.DictField(
        child=serializers.FloatField(), help_text="Each signal's term; they add up to the score."
    )
    shared_skills = serializers.ListField(child=serializers.CharField())
    industry = serializers.CharField(allow_null=True, help_text="The industry both share, if any.")
    shared_goal_words = serializers.ListField(child=serializers.CharField())
    circle = CircleOutput(required=False, help_text="Group rounds: why this member is in this circle.")


class ProposalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    mentee = PersonOutput()
    mentor = PersonOutput()
    score = serializers.FloatField()
    explanation = ExplanationOutput()
    proposed_mentor = PersonOutput(allow_null=True, help_text="The matcher's choice, when an admin overrode it.")
    request = serializers.IntegerField(source="request_id", allow_null=True)
    skip_reason = serializers.SerializerMethodField(help_text="Why publishing skipped this proposal, if it did.")

    @extend_schema_field(serializers.ChoiceField(choices=MatchProposal.SkipReason.choices, allow_null=True))
    def get_skip_reason(self, proposal) -> str | None:
        return proposal.skip_reason or None


class ProposalOverrideInput(StrictInputSerializer):
    mentor = IdField(
        help_text="The mentor's id: one with a slot open once this round's other proposals are counted (409 "
        "`mentor_full` otherwise; `excluded` for a pair who were together before or a decline)."
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Propose the pair despite its warnings (see the candidates' `warnings`). Without it, such a pair "
        "is 409 `low_score` (under the round's minimum score, or 20% when it has none) or `breaks_round_rule` (other "
        "industries in a same-industry round, time zones too far apart), with every `warnings` entry.",
    )


class OverrideWarningOutput(serializers.Serializer):
    code = serializers.ChoiceField(choices=[review.LOW_SCORE_CODE, review.BROKEN_RULE_CODE])
    detail = serializers.CharField()


OverrideConflict = inline_serializer(
    "OverrideConflict",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(
            help_text="`not_proposed`, `mentor_full`, `excluded`, or a warning's: `low_score`, `breaks_round_rule`."
        ),
        "warnings": OverrideWarningOutput(many=True, required=False, help_text="What `confirm: true` accepts."),
    },
)


class CandidateOutput(serializers.Serializer):
    mentor = PersonOutput()
    open_slots = serializers.IntegerField(help_text="Open now (capacity less active mentorships and held offers).")
    open_slots_after_round = serializers.IntegerField(
        help_text="Still open once this round's other proposals take theirs: always at least 1 here."
    )
    score = serializers.FloatField(source="pair.score", help_text="0..1, scored as the round scored its pairs.")
    explanation = ExplanationOutput(source="pair.explanation")
    warnings = OverrideWarningOutput(
        source="pair.warnings", many=True, help_text="Empty when the pair needs no confirmation."
    )


class UnmatchedOutput(serializers.Serializer):
    mentee = PersonOutput()
    reason = serializers.ChoiceField(
        choices=UnmatchedMentee.Reason.choices,
        help_text="The step of the round that left them with no mentor: `excluded` (every mentor with room is or "
        "was their mentor, or declined them), `same_industry` or `timezone_gap` (a rule of the round), "
        "`no_common_ground` (no mentor left shares anything with them), `below_min_score`, `mentors_full` (the "
        "mentors who fit went to others), `circles_too_small` (a group round: the circles that fit them stayed under "
        "its smallest size), `no_mentor`; a peer round's: `excluded`, `no_candidate` (no peer they may pair with "
        "fits them), `left_over` (the peers who fit them were paired with others; with an odd pool someone is).",
    )
    detail = serializers.SerializerMethodField(help_text="The reason in a sentence.")
    best_score = serializers.SerializerMethodField(
        help_text="Their best possible score with a mentor the rules allow (`no_common_ground`, `below_min_score`)."
    )
    candidates = serializers.SerializerMethodField(help_text="How many mentors fit them (`mentors_full`).")

    def get_detail(self, row) -> str:
        return review.unmatched_reason(row, self.context["round"])

    def get_best_score(self, row) -> float | None:
        return row.details.get("best_score")

    def get_candidates(self, row) -> int | None:
        return row.details.get("candidates")


class RecommendedMentorOutput(serializers.Serializer):
    mentor = MentorOutput()
    score = serializers.FloatField(help_text="0..1")
    explanation = ExplanationOutput()


class ImportInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV, UTF-8: role,username,email,full_name,industry,skills,goals,capacity (optional columns: "
        "headline,bio,timezone,languages,wanted_skills)"
    )


class ImportOutput(serializers.Serializer):
    mentors_created = serializers.IntegerField()
    mentors_updated = serializers.IntegerField()
    mentees_created = serializers.IntegerField()
    mentees_updated = serializers.IntegerField()


class BarOutput(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField()
    text = serializers.CharField()


class ChartOutput(serializers.Serializer):
    title = serializers.CharField()
    summary = serializers.CharField(help_text="The chart in one sentence.")
    bars = BarOutput(many=True)


class CircleFiguresOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="The circle's mentorship.")
    mentor = serializers.CharField(help_text="The mentor's name.")
    active = serializers.BooleanField(help_text="False once its mentor closed it.")
    members = serializers.IntegerField(help_text="Its members now (once closed: those who were in it at the end).")
    capacity = serializers.IntegerField(allow_null=True, help_text="Its mentor's capacity in the program.")
    sessions = serializers.IntegerField()
    attendance = serializers.FloatField(
        allow_null=True,
        help_text="0..1: the share of its members on the day who came to a session, averaged over its sessions; "
        "null before its first session.",
    )
    attended = serializers.IntegerField(help_text="A member at a session, counted once per session.")
    ratings = serializers.IntegerField(help_text="Ratings its members gave its sessions.")
    average_rating = serializers.FloatField(allow_null=True)


class ReportOutput(serializers.Serializer):
    program = serializers.SlugField()
    format = serializers.ChoiceField(choices=Program.Format.choices)
    charts = ChartOutput(many=True, help_text="Every program's, then its format's (circles; peer pairs).")
    circles = CircleFiguresOutput(many=True, help_text="A group program's circles, open ones first; empty otherwise.")
