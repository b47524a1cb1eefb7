"""A program's report split by format: every program's charts, then a group program's circles (sizes against
capacity, attendance per circle, ratings from every member who came) or a peer program's pairs (formed, met,
sessions per pair, rated by both). Figures a test can check by hand, and a constant number of queries."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship.models import Feedback, ProgressRating
from tests.conftest import client_for
from tests.factories import (
    GoalFactory,
    MemberFactory,
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    ProgramFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EVERY_PROGRAMS_CHARTS = [
    "Match rate",
    "Match scores",
    "Sessions per week",
    "Goals",
    "Session ratings",
    "Ratings by side",
    "Goal progress",
]
TODAY = timezone.localdate()


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _report(admin_user, program) -> dict:
    response = client_for(admin_user).get(f"/api/v1/programs/{program.slug}/report/")
    assert response.status_code == 200, response.content
    return response.json()


def _chart(report: dict, title: str) -> dict:
    (chart,) = [c for c in report["charts"] if c["title"] == title]
    return chart


def _bars(chart: dict) -> dict[str, float]:
    return {bar["label"]: bar["value"] for bar in chart["bars"]}


def _mentor(program, *, capacity: int, name: str = ""):
    mentor = MentorFactory(full_name=name or "A Mentor")
    MembershipFactory(user=mentor, program=program, role="mentor", capacity=capacity)
    return mentor


def _circle(program, mentor, *, members: int, started_days_ago: int = 60, **fields):
    circle = MentorshipFactory(
        program=program, mentor=mentor, mentee=None, started_at=_days_ago(started_days_ago), **fields
    )
    people = [MemberFactory(mentorship=circle).user for _ in range(members)]
    for person in people:
        MembershipFactory(user=person, program=program, role="mentee")
    return circle, people


def _pair(program, *, started_days_ago: int = 60, **fields):
    pair = MentorshipFactory(
        program=program, mentor=None, mentee=None, started_at=_days_ago(started_days_ago), **fields
    )
    people = [MemberFactory(mentorship=pair).user for _ in range(2)]
    for person in people:
        MembershipFactory(user=person, program=program, role="peer")
    return pair, people


@pytest.fixture
def circles():
    return ProgramFactory(slug="circles", name="Circles", format="group")


@pytest.fixture
def peers():
    return ProgramFactory(slug="peers", name="Peers", format="peer", mentee_limit=2)


def test_a_one_on_one_programs_report_has_todays_charts_and_no_circles(admin_user, mentorship):
    SessionFactory(mentorship=mentorship)

    report = _report(admin_user, mentorship.program)

    assert report["format"] == "one_on_one"
    assert [c["title"] for c in report["charts"]] == EVERY_PROGRAMS_CHARTS
    assert report["circles"] == []
    assert _bars(_chart(report, "Match rate")) == {"Mentored now": 1, "Mentored before": 0, "Never matched": 0}


def test_circle_sizes_are_counted_against_each_mentors_capacity(admin_user, circles):
    _circle(circles, _mentor(circles, capacity=4, name="Ann"), members=3)
    _circle(circles, _mentor(circles, capacity=3, name="Bea"), members=3)
    closed, _ = _circle(
        circles, _mentor(circles, capacity=6, name="Cy"), members=5, status="completed", ended_at=_days_ago(1)
    )
    left, _ = _circle(circles, _mentor(circles, capacity=5, name="Dee"), members=2)
    MemberFactory(mentorship=left, status="left", left_at=_days_ago(3))  # left: not a member now

    report = _report(admin_user, circles)

    assert report["format"] == "group"
    assert [c["title"] for c in report["charts"]] == [
        *EVERY_PROGRAMS_CHARTS,
        "Circle sizes",
        "Attendance per circle",
        "Ratings from circle members",
    ]
    sizes = _chart(report, "Circle sizes")
    # Open circles only, from 1 member to the largest capacity among them.
    assert _bars(sizes) == {"1": 0, "2": 1, "3": 2, "4": 0, "5": 0}
    assert sizes["summary"] == "3 open circles by number of members: 8 of 12 places filled (67%); 1 full."
    listed = [(c["mentor"], c["active"], c["members"], c["capacity"]) for c in report["circles"]]
    assert listed == [("Ann", True, 3, 4), ("Bea", True, 3, 3), ("Dee", True, 2, 5), ("Cy", False, 5, 6)]
    assert report["circles"][-1]["id"] == closed.pk


def test_attendance_counts_the_members_of_the_sessions_day(admin_user, circles):
    mentor = _mentor(circles, capacity=5, name="Ann")
    circle, (a, b, c, d) = _circle(circles, mentor, members=4)
    # Before Eve joined and while Dan was still in: 2 of 4 came.
    SessionFactory(mentorship=circle, date=TODAY - dt.timedelta(days=20), attendees=[mentor, a, b])
    d_row = circle.members.get(user=d)
    d_row.status, d_row.left_at = "left", _days_ago(15)
    d_row.save()
    eve = MemberFactory(mentorship=circle, joined_at=_days_ago(10)).user
    # After: Dan is no member any more, Eve is; all 4 came (the mentor is not counted).
    SessionFactory(mentorship=circle, date=TODAY - dt.timedelta(days=5), attendees=[mentor, a, b, c, eve])
    other, _ = _circle(circles, _mentor(circles, capacity=3, name="Bea"), members=3)
    SessionFactory(mentorship=other, date=TODAY - dt.timedelta(days=2))  # everyone came
    _circle(circles, _mentor(circles, capacity=3, name="Cy"), members=3)  # no session yet

    report = _report(admin_user, circles)

    by_mentor = {c["mentor"]: c for c in report["circles"]}
    assert by_mentor["Ann"]["attendance"] == 0.75  # (2/4 + 4/4) / 2
    assert by_mentor["Ann"]["attended"] == 6
    assert by_mentor["Ann"]["sessions"] == 2
    assert by_mentor["Bea"]["attendance"] == 1.0
    assert by_mentor["Cy"]["attendance"] is None
    chart = _chart(report, "Attendance per circle")
    assert _bars(chart) == {"Under 50%": 0, "50–69%": 0, "70–89%": 1, "90–100%": 1}
    assert chart["summary"].startswith("Circles by the share of their members who came to a session: 88% on average")


def test_every_member_who_came_may_rate_and_the_report_counts_who_did(admin_user, circles):
    mentor = _mentor(circles, capacity=5, name="Ann")
    circle, (a, b, _) = _circle(circles, mentor, members=3)
    first = SessionFactory(mentorship=circle, date=TODAY - dt.timedelta(days=9))  # all three came
    second = SessionFactory(mentorship=circle, date=TODAY - dt.timedelta(days=2), attendees=[mentor, a])
    Feedback.objects.create(session=first, author=a, rating=5)
    Feedback.objects.create(session=first, author=b, rating=3)
    Feedback.objects.create(session=second, author=a, rating=4)

    report = _report(admin_user, circles)

    chart = _chart(report, "Ratings from circle members")
    assert _bars(chart) == {"Rated": 3, "Not rated": 1}
    assert chart["summary"] == "Members rated 3 of the 4 sessions they came to (75%)."
    (listed,) = report["circles"]
    assert (listed["ratings"], listed["average_rating"]) == (3, 4.0)
    assert _bars(_chart(report, "Session ratings"))["5 ★"] == 1  # every member's rating counts in the program's


def test_a_circles_members_ratings_are_theirs_and_the_mentors_are_counted_beside_them(admin_user, circles):
    mentor = _mentor(circles, capacity=5, name="Ann")
    circle, (a, b) = _circle(circles, mentor, members=2)
    session = SessionFactory(mentorship=circle, date=TODAY - dt.timedelta(days=2))
    Feedback.objects.create(session=session, author=a, rating=5)
    Feedback.objects.create(session=session, author=b, rating=4)
    Feedback.objects.create(session=session, author=mentor, rating=2)

    report = _report(admin_user, circles)

    chart = _chart(report, "Ratings by side")
    assert _bars(chart) == {"Mentees (2)": 4.5, "Mentors (1)": 2.0}
    assert chart["summary"] == (
        "Average session rating by who gave it: mentees 4.5 out of 5 (2 ratings); mentors 2.0 out of 5 (1 rating)."
    )
    (listed,) = report["circles"]
    assert (listed["ratings"], listed["average_rating"]) == (2, 4.5)  # the members' own
    assert _bars(_chart(report, "Ratings from circle members")) == {"Rated": 2, "Not rated": 0}


def test_a_peer_programs_ratings_are_the_peers(admin_user, peers):
    pair, (ana, ben) = _pair(peers)
    session = SessionFactory(mentorship=pair, date=TODAY - dt.timedelta(days=2))
    Feedback.objects.create(session=session, author=ana, rating=5)
    Feedback.objects.create(session=session, author=ben, rating=2)

    assert _bars(_chart(_report(admin_user, peers), "Ratings by side")) == {"Peers (2)": 3.5}


def test_progress_ratings_feed_the_report(admin_user, mentorship):
    session = SessionFactory(mentorship=mentorship)
    for title, rating in (("Talk", 4), ("Hire", 2), ("Write", 4)):
        goal = GoalFactory(mentee=mentorship.mentee, title=title)
        ProgressRating.objects.create(session=session, goal=goal, rater=mentorship.mentor, rating=rating)

    chart = _chart(_report(admin_user, mentorship.program), "Goal progress")

    assert _bars(chart) == {"1 ★": 0, "2 ★": 1, "3 ★": 0, "4 ★": 2, "5 ★": 0}
    assert chart["summary"] == "Average progress rating 3.3 out of 5 over 3 ratings of goals worked on."


def test_a_program_with_no_rating_says_so(admin_user, mentorship):
    report = _report(admin_user, mentorship.program)

    assert _chart(report, "Ratings by side")["summary"] == "No rating yet."
    assert _chart(report, "Goal progress")["summary"] == "No progress rating yet."


def test_a_group_program_with_no_circle_says_so(admin_user, circles):
    report = _report(admin_user, circles)

    assert report["circles"] == []
    assert _chart(report, "Circle sizes") == {"title": "Circle sizes", "summary": "No circle is open yet.", "bars": []}
    assert _chart(report, "Attendance per circle")["bars"] == []


def test_a_peer_programs_report_counts_pairs_formed_and_met(admin_user, peers):
    met_often, _ = _pair(peers)
    for days in (30, 20, 10, 5, 2, 1):
        SessionFactory(mentorship=met_often, date=TODAY - dt.timedelta(days=days))
    met_once, _ = _pair(peers)
    SessionFactory(mentorship=met_once, date=TODAY - dt.timedelta(days=3))
    _pair(peers)  # not met yet
    done, _ = _pair(peers, status="completed", ended_at=_days_ago(1))
    SessionFactory(mentorship=done, date=TODAY - dt.timedelta(days=8))
    MembershipFactory(user=UserFactory(), program=peers, role="peer")  # never paired

    report = _report(admin_user, peers)

    assert report["format"] == "peer"
    assert [c["title"] for c in report["charts"]] == [
        *EVERY_PROGRAMS_CHARTS,
        "Sessions per pair",
        "Ratings from both peers",
    ]
    chart = _chart(report, "Sessions per pair")
    assert _bars(chart) == {"None": 1, "1": 2, "2": 0, "3": 0, "4": 0, "5+": 1}
    assert chart["summary"] == (
        "4 pairs formed (3 active now); 3 (75%) have met at least once; 2.0 sessions per pair on average."
    )
    assert report["circles"] == []
    # Its people are peers: the match rate counts them.
    assert _bars(_chart(report, "Match rate")) == {"Paired now": 6, "Paired before": 2, "Never paired": 1}


def test_a_peer_programs_report_counts_sessions_rated_by_both_peers(admin_user, peers):
    pair, (ana, ben) = _pair(peers)
    both = SessionFactory(mentorship=pair, date=TODAY - dt.timedelta(days=9))
    one = SessionFactory(mentorship=pair, date=TODAY - dt.timedelta(days=5))
    SessionFactory(mentorship=pair, date=TODAY - dt.timedelta(days=2))  # neither
    Feedback.objects.create(session=both, author=ana, rating=5)
    Feedback.objects.create(session=both, author=ben, rating=4)
    Feedback.objects.create(session=one, author=ben, rating=2)

    report = _report(admin_user, peers)

    chart = _chart(report, "Ratings from both peers")
    assert _bars(chart) == {"Both peers": 1, "One peer": 1, "Neither": 1}
    assert chart["summary"] == "Both peers rated 1 of 3 sessions (33%)."


def test_the_reports_page_lists_the_circles_and_shows_each_charts_figures(client, admin_user, circles):
    circle, _ = _circle(circles, _mentor(circles, capacity=4, name="Ann Archer"), members=3)
    SessionFactory(mentorship=circle)
    client.force_login(admin_user)

    page = client.get("/reports/", {"program": circles.slug}).content.decode()

    assert "<h2>Circle sizes</h2>" in page
    assert '<h2 id="circles-heading">Circles</h2>' in page
    assert '<th scope="row">Ann Archer<span class="meta circle-size">3 of 4 members</span></th>' in page
    assert "<td>100%</td>" in page
    assert '<th scope="col">Members</th><th scope="col">Circles</th>' in page  # the sizes chart's table


def test_the_reports_page_of_a_peer_program_lists_no_circles(client, admin_user, peers):
    _pair(peers)
    client.force_login(admin_user)

    page = client.get("/reports/", {"program": peers.slug}).content.decode()

    assert "<h2>Sessions per pair</h2>" in page
    assert "circles-heading" not in page


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_circles(program, n: int) -> None:
    for i in range(n):
        mentor = _mentor(program, capacity=4)
        circle, (first, *_) = _circle(program, mentor, members=3)
        session = SessionFactory(mentorship=circle, date=TODAY - dt.timedelta(days=i + 1))
        Feedback.objects.create(session=session, author=first, rating=1 + i % 5)
        MemberFactory(mentorship=circle, status="left", left_at=_days_ago(1))


def _add_pairs(program, n: int) -> None:
    for i in range(n):
        pair, (first, _) = _pair(program)
        for day in range(i % 3):
            session = SessionFactory(mentorship=pair, date=TODAY - dt.timedelta(days=day + 1))
            Feedback.objects.create(session=session, author=first, rating=4)


@pytest.mark.parametrize(("form", "add"), [("group", _add_circles), ("peer", _add_pairs)])
def test_a_reports_queries_do_not_grow_with_its_circles_or_pairs(client, admin_user, form, add):
    program = ProgramFactory(slug=form, name=form.title(), format=form)
    urls = [f"/api/v1/programs/{program.slug}/report/", f"/reports/?program={program.slug}"]
    client.force_login(admin_user)
    api = client_for(admin_user)

    def count() -> list[int]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert api.get(urls[0]).status_code == 200
        return [len(captured), _queries(client, urls[1])]

    add(program, 2)
    few = count()
    add(program, 12)
    many = count()

    assert few == many, f"{form}: {few} queries with 2 {form}s' rows, {many} with 14"


def test_a_group_or_peer_report_costs_two_queries_more_than_a_one_on_one(admin_user, circles, peers, mentorship):
    # Each program has an active mentorship, as `main` has: the pairs at risk (a section of the report since issue
    # 15) read their members only when there are some.
    _circle(circles, _mentor(circles, capacity=3), members=1)
    _pair(peers)

    def queries(program) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            _report(admin_user, program)
        return len(captured)

    one_on_one = queries(mentorship.program)

    assert queries(circles) == one_on_one + 2
    assert queries(peers) == one_on_one + 2


def test_mentees_of_other_programs_are_not_in_a_circles_report(admin_user, circles, mentorship):
    _circle(circles, _mentor(circles, capacity=3, name="Ann"), members=2)
    SessionFactory(mentorship=mentorship)  # main's one-on-one
    MenteeFactory()

    report = _report(admin_user, circles)

    assert [c["mentor"] for c in report["circles"]] == ["Ann"]
    assert _bars(_chart(report, "Match rate")) == {"Mentored now": 2, "Mentored before": 0, "Never matched": 0}
    assert _chart(report, "Attendance per circle")["bars"] == []
