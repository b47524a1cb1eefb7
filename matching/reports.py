"""How a program is doing, as series ready to draw: a few aggregate queries, whatever the program's size. Every
figure is the program's own: its mentees and their goals, its rounds, its mentorships' sessions and ratings."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from matching.models import MatchProposal, MatchRound
from mentorship.models import Feedback, Goal, MentorshipMember, Session
from programs.models import Membership, Program

WEEKS = 12
SCORE_BINS = 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    summary: str  # the chart in one sentence, for screen readers and for a quick read


def program_report(program: Program) -> list[Chart]:
    return [
        _match_rate(program),
        _score_distribution(program),
        _sessions_per_week(program),
        _goals(program),
        _ratings(program),
    ]


def _match_rate(program: Program) -> Chart:
    mentees = Membership.objects.in_program(program).mentees().active()
    total = mentees.count()
    members = MentorshipMember.objects.in_program(program)
    counts = mentees.aggregate(
        active=Count("user_id", filter=Q(user_id__in=members.active().values("user_id"))),
        ever=Count("user_id", filter=Q(user_id__in=members.values("user_id"))),
    )
    active, ever = counts["active"], counts["ever"]
    waiting = total - active
    bars = [
        Bar("Mentored now", active, f"{active}"),
        Bar("Mentored before", ever - active, f"{ever - active}"),
        Bar("Never matched", total - ever, f"{total - ever}"),
    ]
    rate = round(100 * active / total) if total else 0
    return Chart("Match rate", bars, f"{rate}% of {total} mentees have a mentor now; {waiting} do not.")


def _score_distribution(program: Program) -> Chart:
    latest = (
        MatchRound.objects.filter(program=program, status__in=["proposed", "published"]).order_by("-created_at").first()
    )
    if latest is None:
        return Chart("Match scores", [], "No match round has proposals yet.")
    counts = MatchProposal.objects.filter(round=latest).aggregate(
        **{
            f"b{i}": Count(
                "pk", filter=Q(score__gte=i / SCORE_BINS) & Q(score__lt=(i + 1) / SCORE_BINS + (i == SCORE_BINS - 1))
            )
            for i in range(SCORE_BINS)
        }
    )
    bars = [Bar(f"{i * 10}–{i * 10 + 10}%", counts[f"b{i}"], str(counts[f"b{i}"])) for i in range(SCORE_BINS)]
    mean = latest.stats.get("mean_score", 0)
    return Chart(
        f"Match scores in “{latest.name}”", bars, f"{sum(b.value for b in bars):.0f} proposals, mean score {mean:.0%}."
    )


def _sessions_per_week(program: Program) -> Chart:
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    per_week = dict(
        Session.objects.filter(mentorship__program=program, date__gte=start)
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    weeks = [start + dt.timedelta(weeks=i) for i in range(WEEKS)]
    bars = [Bar(w.strftime("%d %b"), per_week.get(w, 0), str(per_week.get(w, 0))) for w in weeks]
    total = sum(b.value for b in bars)
    return Chart("Sessions per week", bars, f"{_count(total, 'session')} in the last {WEEKS} weeks.")


def _goals(program: Program) -> Chart:
    # A goal is a person's own, across programs: a program counts its mentees'.
    goals = Goal.objects.filter(mentee_id__in=Membership.objects.in_program(program).mentees().values("user_id"))
    counts = dict(goals.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    bars = [Bar(label, counts.get(value, 0), str(counts.get(value, 0))) for value, label in Goal.Status.choices]
    total = sum(counts.values())
    achieved = counts.get(Goal.Status.ACHIEVED, 0)
    share = round(100 * achieved / total) if total else 0
    return Chart("Goals", bars, f"{achieved} of {total} goals achieved ({share}%).")


def _ratings(program: Program) -> Chart:
    feedback = Feedback.objects.filter(session__mentorship__program=program)
    counts = dict(feedback.values("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    bars = [Bar(f"{r} ★", counts.get(r, 0), str(counts.get(r, 0))) for r in range(1, 6)]
    average = feedback.aggregate(avg=Avg("rating"))["avg"]
    summary = (
        f"Average session rating {average:.1f} out of 5 over {sum(counts.values())} ratings."
        if average
        else "No rating yet."
    )
    return Chart("Session ratings", bars, summary)


def _count(n: float, noun: str) -> str:
    return f"{n:.0f} {noun}{'' if n == 1 else 's'}"
