"""The program report's "Skills gained": how far people's levels moved from a mentorship's start to its completion,
per skill and over the whole program, with how many people each figure rests on.

A gain is one person's completion level minus their start level in one skill of one mentorship; only people with
both count. The self-ratings are the figure; the mentors' ratings, where a mentor rated both stages, are shown
beside them as the mentors' view. A mentorship counts in the period its completion falls in. Two queries, whatever
the program's size: the pairing of each start with its completion and the averages happen in SQL."""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery

from evaluation.models import SkillRating
from evaluation.period import Period
from evaluation.sections import Section, Table
from matching.reports import Bar, Chart
from mentorship.models import Mentorship
from programs.models import Program

SELF = Q(rater=F("subject"))
MENTOR = Q(rater=F("mentorship__mentor"))
COLUMNS = ("Skill", "People", "Start", "Completion", "Gain", "Rated by mentors", "Mentors' view of the gain")


@dataclass(frozen=True)
class SkillGain:
    """Averages over the people with a start and a completion rating of one skill (or of every skill, `skill=""`)."""

    skill: str
    people: int
    start: float | None
    completion: float | None
    gain: float | None
    mentor_people: int  # people whose mentor rated both stages
    mentor_gain: float | None


@dataclass(frozen=True)
class SkillGains:
    skills: list[SkillGain]  # the largest gain first
    overall: SkillGain


def _paired(program: Program, period: Period) -> QuerySet[SkillRating]:
    """Every start rating, by oneself or by the mentor, of a completed mentorship of `program` in `period`, with
    the same rater's completion level (`finish`) and the `difference`; those with no completion are left
    out."""
    finish = SkillRating.objects.filter(
        mentorship=OuterRef("mentorship"),
        subject=OuterRef("subject"),
        rater=OuterRef("rater"),
        skill=OuterRef("skill"),
        stage=SkillRating.Stage.COMPLETION,
    ).values("level")[:1]
    starts = SkillRating.objects.filter(
        SELF | MENTOR,
        mentorship__program=program,
        mentorship__status=Mentorship.Status.COMPLETED,
        stage=SkillRating.Stage.START,
    )
    if period.start:
        starts = starts.filter(mentorship__ended_at__date__gte=period.start)
    if period.end:
        starts = starts.filter(mentorship__ended_at__date__lte=period.end)
    return (
        starts.annotate(finish=Subquery(finish, output_field=IntegerField()))
        .filter(finish__isnull=False)
        .annotate(difference=F("finish") - F("level"))
    )


def _figures() -> dict:
    # A person is counted once per skill even if two mentorships in the period rated it.
    return {
        "people": Count("subject", filter=SELF, distinct=True),
        "start": Avg("level", filter=SELF),
        "completion": Avg("finish", filter=SELF),
        "gain": Avg("difference", filter=SELF),
        "mentor_people": Count("subject", filter=MENTOR, distinct=True),
        "mentor_gain": Avg("difference", filter=MENTOR),
    }


def _gain(skill: str, row: dict) -> SkillGain:
    def rounded(name):
        return None if row[name] is None else round(float(row[name]), 2)

    return SkillGain(
        skill=skill,
        people=row["people"],
        start=rounded("start"),
        completion=rounded("completion"),
        gain=rounded("gain"),
        mentor_people=row["mentor_people"],
        mentor_gain=rounded("mentor_gain"),
    )


def skill_gains(program: Program, period: Period) -> SkillGains:
    paired = _paired(program, period)
    per_skill = paired.order_by().values("skill_id", "skill__name").annotate(**_figures())
    skills = [_gain(row["skill__name"], row) for row in per_skill if row["people"] or row["mentor_people"]]
    skills.sort(key=lambda g: (g.gain is None, -(g.gain or 0), g.skill.lower()))
    overall = _gain("", paired.order_by().aggregate(**_figures()))
    return SkillGains(skills=skills, overall=overall)


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}".replace("-", "−")


def _level(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _row(gain: SkillGain) -> tuple:
    return (
        gain.skill or "All skills",
        gain.people,
        _level(gain.start),
        _level(gain.completion),
        _signed(gain.gain),
        gain.mentor_people,
        _signed(gain.mentor_gain),
    )


def _summary(gains: SkillGains) -> str:
    overall = gains.overall
    if not overall.people:
        return "Nobody has rated their skills both at the start and at the completion of a mentorship in this period."
    people = f"{overall.people} {'person' if overall.people == 1 else 'people'}"
    sentence = (
        f"{people} rated their skills at the start and at completion: on a scale of 1 to 5 their levels moved by "
        f"{_signed(overall.gain)} on average."
    )
    rated = [g for g in gains.skills if g.people]
    if len(rated) > 1:
        top = rated[0]
        sentence += f" The largest gain: {top.skill} ({_signed(top.gain)}, {top.people} rated it)."
    if overall.mentor_people:
        sentence += f" Mentors rated {overall.mentor_people} of them: {_signed(overall.mentor_gain)} on average."
    return sentence


def skills_section(program: Program, period: Period) -> Section:
    """The report's "Skills gained" part: the average gain per skill, with how many people each rests on; the
    whole program's in the table's last row."""
    gains = skill_gains(program, period)
    rated = [g for g in gains.skills if g.people]
    chart = Chart(
        title="Average gain per skill (self-rated, 1–5 scale)",
        # A bar cannot go below the axis: a loss draws none, and its text says it.
        bars=[Bar(label=g.skill, value=max(g.gain or 0.0, 0.0), text=f"{_signed(g.gain)} ({g.people})") for g in rated],
        summary=_summary(gains),
        columns=("Skill", "Average gain (people)"),
    )
    rows = [_row(g) for g in gains.skills]
    if gains.overall.people or gains.overall.mentor_people:
        rows.append(_row(gains.overall))
    return Section(
        key="skills_gained",
        title="Skills gained",
        summary=_summary(gains),
        table=Table(columns=COLUMNS, rows=rows),
        chart=chart if rated else None,
    )
