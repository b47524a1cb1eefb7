"""How a program is doing, as series ready to draw: a few aggregate queries, whatever the program's size. Every
figure is the program's own: its mentees (peers, in a peer program) and their goals, its rounds, its mentorships'
sessions and ratings. Group and peer programs add what their format is about: how full the circles are and how
many of their members come; how many pairs meet and how often, and whether both peers rate. Ratings are both
sides': the mentees' beside the mentors', and the mentors' ratings of their mentees' progress."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf, TruncWeek
from django.utils import timezone

from matching.models import MatchProposal, MatchRound
from mentorship.models import Feedback, Goal, Mentorship, MentorshipMember, ProgressRating, Session
from programs.models import Membership, Program

Format = Program.Format

WEEKS = 12
SCORE_BINS = 10
MOST_SIZE_BARS = 8  # circle sizes from 1 to this; larger circles share the last bar ("8+")
ATTENDANCE_BINS = [(0.0, "Under 50%"), (0.5, "50–69%"), (0.7, "70–89%"), (0.9, "90–100%")]
MOST_SESSIONS_BAR = 5  # sessions per pair: 0 to 4, then "5+"


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
    columns: tuple[str, str] = ("", "")  # what the bars are and what they count: the headings of its table
    key: str = ""  # a chart the evaluation report shows for a period too names its section ("goals", "ratings")


@dataclass(frozen=True)
class CircleFigures:
    """One circle of a group program, as its report lists it."""

    id: int
    mentor: str
    active: bool
    members: int  # now; those who ended with it once it is closed
    capacity: int | None  # its mentor's in the program (None once they left it)
    sessions: int
    attendance: float | None  # 0..1: the share of its members who came, averaged over its sessions; None: no session
    attended: int  # a member at a session: each may rate it
    ratings: int
    average_rating: float | None


@dataclass(frozen=True)
class Report:
    format: str
    charts: list[Chart]
    circles: list[CircleFigures] = field(default_factory=list)  # group programs only

    @property
    def lists_circles(self) -> bool:
        return self.format == Format.GROUP


def program_report(program: Program) -> Report:
    """Every format's charts, then its own: a group program's circles (each listed with its attendance), a peer
    program's pairs. Two more queries for either, whatever its size."""
    charts = [
        _match_rate(program),
        _score_distribution(program),
        _sessions_per_week(program),
        _goals(program),
        _ratings(program),
        ratings_by_side(program),
        _progress(program),
    ]
    if program.format == Format.GROUP:
        circles = _circles(program)
        charts += [_circle_sizes(circles), _attendance(circles), _ratings_by_members(circles)]
        return Report(format=program.format, charts=charts, circles=circles)
    if program.format == Format.PEER:
        charts += [_peer_pairs(program), _ratings_by_peers(program)]
    return Report(format=program.format, charts=charts)


def _mentored(program: Program) -> QuerySet[Membership]:
    """The people a program is for: its mentees; in a peer program, its peers."""
    role = Membership.Role.PEER if program.format == Format.PEER else Membership.Role.MENTEE
    return Membership.objects.in_program(program).filter(role=role)


def _match_rate(program: Program) -> Chart:
    mentees = _mentored(program).active()
    total = mentees.count()
    members = MentorshipMember.objects.in_program(program)
    counts = mentees.aggregate(
        active=Count("user_id", filter=Q(user_id__in=members.active().values("user_id"))),
        ever=Count("user_id", filter=Q(user_id__in=members.values("user_id"))),
    )
    active, ever = counts["active"], counts["ever"]
    waiting = total - active
    rate = round(100 * active / total) if total else 0
    if program.format == Format.PEER:
        bars = [
            Bar("Paired now", active, f"{active}"),
            Bar("Paired before", ever - active, f"{ever - active}"),
            Bar("Never paired", total - ever, f"{total - ever}"),
        ]
        return Chart(
            "Match rate",
            bars,
            f"{rate}% of {total} peers have a partner now; {waiting} do not.",
            columns=("Peers", "People"),
        )
    bars = [
        Bar("Mentored now", active, f"{active}"),
        Bar("Mentored before", ever - active, f"{ever - active}"),
        Bar("Never matched", total - ever, f"{total - ever}"),
    ]
    return Chart(
        "Match rate",
        bars,
        f"{rate}% of {total} mentees have a mentor now; {waiting} do not.",
        columns=("Mentees", "People"),
    )


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
        f"Match scores in “{latest.name}”",
        bars,
        f"{sum(b.value for b in bars):.0f} proposals, mean score {mean:.0%}.",
        columns=("Score", "Proposals"),
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
    return Chart(
        "Sessions per week",
        bars,
        f"{_count(total, 'session')} in the last {WEEKS} weeks.",
        columns=("Week of", "Sessions"),
    )


def _goals(program: Program) -> Chart:
    # A goal is a person's own, across programs: a program counts its mentees' (its peers').
    goals = Goal.objects.filter(mentee_id__in=_mentored(program).values("user_id"))
    counts = dict(goals.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    bars = [Bar(label, counts.get(value, 0), str(counts.get(value, 0))) for value, label in Goal.Status.choices]
    total = sum(counts.values())
    achieved = counts.get(Goal.Status.ACHIEVED, 0)
    share = round(100 * achieved / total) if total else 0
    summary = f"{achieved} of {total} goals achieved ({share}%)."
    return Chart("Goals", bars, summary, columns=("Status", "Goals"), key="goals")


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
    return Chart("Session ratings", bars, summary, columns=("Rating", "Ratings"))


def ratings_by_side(program: Program, *, start: dt.date | None = None, end: dt.date | None = None) -> Chart:
    """Both sides rate their sessions: the mentees' (a circle's members') average beside the mentors'; a peer
    program's peers are one side. `start` and `end` keep the sessions held in those days (the evaluation report's
    period)."""
    feedback = Feedback.objects.filter(session__mentorship__program=program)
    if start:
        feedback = feedback.filter(session__date__gte=start)
    if end:
        feedback = feedback.filter(session__date__lte=end)
    by_mentor = Q(session__mentorship__mentor_id=F("author_id"))
    by_member = Q(session__mentorship__mentor_id__isnull=True) | ~by_mentor
    figures = feedback.aggregate(
        members=Count("pk", filter=by_member),
        members_average=Avg("rating", filter=by_member),
        mentors=Count("pk", filter=by_mentor),
        mentors_average=Avg("rating", filter=by_mentor),
    )
    sides = [("Peers" if program.format == Format.PEER else "Mentees", "members")]
    if program.format != Format.PEER:
        sides.append(("Mentors", "mentors"))
    bars, words = [], []
    for label, key in sides:
        count, average = figures[key], figures[f"{key}_average"]
        bars.append(Bar(f"{label} ({count})", round(average or 0, 2), f"{average:.1f}" if average else "–"))
        side = label.lower()
        words.append(f"{side} {average:.1f} out of 5 ({_count(count, 'rating')})" if average else f"{side}: none")
    if not any(figures[key] for _, key in sides):
        return Chart("Ratings by side", [], "No rating yet.", key="ratings")
    return Chart(
        "Ratings by side",
        bars,
        "Average session rating by who gave it: " + "; ".join(words) + ".",
        columns=("Rated by (ratings)", "Average out of 5"),
        key="ratings",
    )


def _progress(program: Program) -> Chart:
    """Mentors rate their mentees' progress on the goals a session worked on (peers, each other's)."""
    ratings = ProgressRating.objects.filter(session__mentorship__program=program)
    counts = dict(ratings.order_by().values("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    total = sum(counts.values())
    if not total:
        return Chart("Goal progress", [], "No progress rating yet.")
    average = sum(rating * n for rating, n in counts.items()) / total
    bars = [Bar(f"{r} ★", counts.get(r, 0), str(counts.get(r, 0))) for r in range(1, 6)]
    return Chart(
        "Goal progress",
        bars,
        f"Average progress rating {average:.1f} out of 5 over {_count(total, 'rating')} of goals worked on.",
        columns=("Progress", "Ratings"),
    )


# Group programs: circles.


def _circles(program: Program) -> list[CircleFigures]:
    """The program's circles, open ones first, each with its figures: two queries (the circles with their counts,
    then their attendance)."""
    in_circle = Q(mentorship=OuterRef("pk"))
    # The members' ratings: the mentor rates the circle's sessions too, and is no member.
    members_ratings = Feedback.objects.filter(session__mentorship=OuterRef("pk")).exclude(author=OuterRef("mentor_id"))
    rows = (
        Mentorship.objects.in_program(program)
        .filter(format=Format.GROUP)
        .select_related("mentor")
        .annotate(
            member_count=_count_of(
                MentorshipMember.objects.filter(in_circle).exclude(status=MentorshipMember.Status.LEFT), "mentorship"
            ),
            capacity=Subquery(
                Membership.objects.in_program(program)
                .mentors()
                .filter(user_id=OuterRef("mentor_id"))
                .values("capacity")[:1]
            ),
            session_count=_count_of(Session.objects.filter(in_circle), "mentorship"),
            rating_count=_count_of(members_ratings, "session__mentorship"),
            rating_average=Subquery(
                members_ratings.order_by()
                .values("session__mentorship")
                .annotate(average=Avg("rating"))
                .values("average"),
                output_field=FloatField(),
            ),
        )
        .order_by("status", "mentor__full_name", "pk")  # "active" before "completed"
    )
    attendance = _attendance_by_circle(program)
    return [
        CircleFigures(
            id=row.pk,
            mentor=row.mentor.get_full_name() or row.mentor.get_username(),
            active=row.is_active,
            members=row.member_count,
            capacity=row.capacity,
            sessions=row.session_count,
            attendance=attendance.get(row.pk, (None, 0))[0],
            attended=attendance.get(row.pk, (None, 0))[1],
            ratings=row.rating_count,
            average_rating=round(row.rating_average, 2) if row.rating_average is not None else None,
        )
        for row in rows
    ]


def _attendance_by_circle(program: Program) -> dict[int, tuple[float | None, int]]:
    """Per circle, the share of its members who came to a session, averaged over its sessions, and how many came
    in all. The members of a session are those in the circle on its day (joined by then, not left before), whoever
    is in it now; its mentor is none of them."""
    members_then = MentorshipMember.objects.filter(
        Q(left_at__isnull=True) | Q(left_at__date__gte=OuterRef("date")),
        mentorship_id=OuterRef("mentorship_id"),
        joined_at__date__lte=OuterRef("date"),
    )
    came = members_then.filter(
        Exists(
            Session.attendees.through.objects.filter(session_id=OuterRef(OuterRef("pk")), user_id=OuterRef("user_id"))
        )
    )
    per_circle = (
        Session.objects.filter(mentorship__program=program, mentorship__format=Format.GROUP)
        .annotate(members_then=_count_of(members_then, "mentorship_id"), came=_count_of(came, "mentorship_id"))
        .order_by()
        .values("mentorship_id")
        .annotate(rate=Avg(Cast("came", FloatField()) / NullIf("members_then", 0)), attended=Sum("came"))
        .values_list("mentorship_id", "rate", "attended")
    )
    return {circle: (round(rate, 4) if rate is not None else None, attended) for circle, rate, attended in per_circle}


def _circle_sizes(circles: list[CircleFigures]) -> Chart:
    active = [c for c in circles if c.active]
    if not active:
        return Chart("Circle sizes", [], "No circle is open yet.")
    sizes = Counter(min(c.members, MOST_SIZE_BARS) for c in active)
    largest = min(max(max(c.members, c.capacity or 0) for c in active), MOST_SIZE_BARS)
    bars = [
        Bar(f"{n}+" if n == MOST_SIZE_BARS else str(n), sizes.get(n, 0), str(sizes.get(n, 0)))
        for n in range(0 if sizes.get(0) else 1, largest + 1)
    ]
    members = sum(c.members for c in active)
    places = sum(c.capacity or 0 for c in active)
    full = sum(1 for c in active if c.capacity is not None and c.members >= c.capacity)
    filled = f"{members} of {places} places filled ({round(100 * members / places)}%)" if places else f"{members}"
    return Chart(
        "Circle sizes",
        bars,
        f"{_count(len(active), 'open circle')} by number of members: {filled}; {full} full.",
        columns=("Members", "Circles"),
    )


def _attendance(circles: list[CircleFigures]) -> Chart:
    rates = [c.attendance for c in circles if c.attendance is not None]
    if not rates:
        return Chart("Attendance per circle", [], "No circle has logged a session yet.")
    bins = Counter(max(i for i, (floor, _) in enumerate(ATTENDANCE_BINS) if rate >= floor) for rate in rates)
    bars = [Bar(label, bins.get(i, 0), str(bins.get(i, 0))) for i, (_, label) in enumerate(ATTENDANCE_BINS)]
    average = sum(rates) / len(rates)
    return Chart(
        "Attendance per circle",
        bars,
        f"Circles by the share of their members who came to a session: {average:.0%} on average over "
        f"{_count(len(rates), 'circle')} with sessions.",
        columns=("Members who came", "Circles"),
    )


def _ratings_by_members(circles: list[CircleFigures]) -> Chart:
    """Every member who came to a session may rate it: how many of them did."""
    attended = sum(c.attended for c in circles)
    rated = min(sum(c.ratings for c in circles), attended)
    if not attended:
        return Chart("Ratings from circle members", [], "No member has come to a session yet.")
    bars = [Bar("Rated", rated, str(rated)), Bar("Not rated", attended - rated, str(attended - rated))]
    return Chart(
        "Ratings from circle members",
        bars,
        f"Members rated {rated} of the {_count(attended, 'session')} they came to ({round(100 * rated / attended)}%).",
        columns=("A member's session", "Sessions"),
    )


# Peer programs: pairs.


def _peer_pairs(program: Program) -> Chart:
    pairs = Mentorship.objects.in_program(program).filter(format=Format.PEER)
    per_count = (
        pairs.annotate(held=_count_of(Session.objects.filter(mentorship=OuterRef("pk")), "mentorship"))
        .order_by()
        .values("held", "status")
        .annotate(n=Count("pk"))
        .values_list("held", "status", "n")
    )
    counts, sessions, active = Counter(), 0, 0
    for held, status, n in per_count:
        counts[min(held, MOST_SESSIONS_BAR)] += n
        sessions += held * n
        active += n if status == Mentorship.Status.ACTIVE else 0
    total = sum(counts.values())
    if not total:
        return Chart("Sessions per pair", [], "No peer pair has formed yet.")
    bars = [
        Bar("None" if n == 0 else f"{n}+" if n == MOST_SESSIONS_BAR else str(n), counts[n], str(counts[n]))
        for n in range(MOST_SESSIONS_BAR + 1)
    ]
    met = total - counts[0]
    return Chart(
        "Sessions per pair",
        bars,
        f"{_count(total, 'pair')} formed ({active} active now); {met} ({round(100 * met / total)}%) have met at "
        f"least once; {sessions / total:.1f} sessions per pair on average.",
        columns=("Sessions", "Pairs"),
    )


def _ratings_by_peers(program: Program) -> Chart:
    """Each peer rates a session they came to: how many of the pairs' sessions both peers rated."""
    per_count = (
        Session.objects.filter(mentorship__program=program, mentorship__format=Format.PEER)
        .annotate(rated=_count_of(Feedback.objects.filter(session=OuterRef("pk")), "session"))
        .order_by()
        .values("rated")
        .annotate(n=Count("pk"))
        .values_list("rated", "n")
    )
    counts = Counter()
    for rated, n in per_count:
        counts[min(rated, 2)] += n
    total = sum(counts.values())
    if not total:
        return Chart("Ratings from both peers", [], "No pair has logged a session yet.")
    bars = [
        Bar("Both peers", counts[2], str(counts[2])),
        Bar("One peer", counts[1], str(counts[1])),
        Bar("Neither", counts[0], str(counts[0])),
    ]
    return Chart(
        "Ratings from both peers",
        bars,
        f"Both peers rated {counts[2]} of {_count(total, 'session')} ({round(100 * counts[2] / total)}%).",
        columns=("Rated by", "Sessions"),
    )


def _count_of(rows: QuerySet, by: str) -> Coalesce:
    """How many of `rows` (filtered on an outer row) there are, as a subquery: 0 when none."""
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _count(n: float, noun: str) -> str:
    return f"{n:.0f} {noun}{'' if n == 1 else 's'}"
