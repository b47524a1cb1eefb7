"""The program report of issue 15: its sections for a period (the funnel with its drop-off, time to match, cadence
kept, goals and milestones, ratings both ways, pairs at risk), as JSON and as CSV, for a program's admins only;
each section's drill-down page lists who is behind its numbers. Figures a test can check by hand, in the three
formats, and a constant number of queries as the program grows."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Industry
from evaluation.period import Period
from evaluation.reports import report_csv
from evaluation.sections import Section, Table
from mentorship.models import Agreement, Feedback
from programs.models import Membership
from tests.conftest import client_for
from tests.factories import (
    GoalFactory,
    MemberFactory,
    MembershipFactory,
    MentorFactory,
    MentorshipFactory,
    MilestoneFactory,
    ProgramAdminFactory,
    ProgramFactory,
    SessionFactory,
    SkillFactory,
    UserFactory,
)
from tests.formats import circle_world, peer_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _get(user, program, **params):
    return client_for(user).get(f"/api/v1/programs/{program.slug}/report/", params)


def _section(user, program, key: str, **params) -> dict:
    response = _get(user, program, **params)
    assert response.status_code == 200, response.content
    (section,) = [s for s in response.json()["sections"] if s["key"] == key]
    return section


def _rows(section: dict) -> dict:
    return {row[0]: row[1:] for row in section["table"]["rows"]}


def _mentee(program, name: str, *, complete: bool, joined_days_ago: int = 10, status: str = "active"):
    """A mentee of `program` who joined `joined_days_ago`; a complete profile has an industry and a skill they want
    to grow (the headline is no part of it)."""
    user = UserFactory(username=name, full_name=name.title())
    if complete:
        profile = user.profile
        profile.industry = Industry.objects.get_or_create(name="Finance")[0]
        profile.save()
        profile.wanted_skills.set([SkillFactory(name="Negotiation")])
    membership = MembershipFactory(user=user, program=program, role="mentee", status=status)
    Membership.objects.filter(pk=membership.pk).update(created_at=_ago(joined_days_ago))
    return user


@pytest.fixture
def cohort():
    """A one-on-one program: Amy completed, Bea is matched and has not met, Cal is matched with an incomplete
    profile, Dee waits with a complete one; Eve is only invited."""
    program = ProgramFactory(slug="cohort", name="Cohort", session_cadence_days=14)
    mentor = MentorFactory(username="mo", full_name="Mo Mentor")
    MembershipFactory(user=mentor, program=program, role="mentor", capacity=5)
    people = {
        name: _mentee(program, name, complete=complete)
        for name, complete in (("amy", True), ("bea", True), ("cal", False), ("dee", True))
    }
    _mentee(program, "eve", complete=True, status="invited")
    done = MentorshipFactory(
        program=program, mentor=mentor, mentee=None, status="completed", started_at=_ago(8), ended_at=_ago(1)
    )
    MemberFactory(mentorship=done, user=people["amy"], status="ended", joined_at=_ago(8), left_at=_ago(1))
    SessionFactory(mentorship=done, date=TODAY - dt.timedelta(days=5))
    for name, days in (("bea", 40), ("cal", 3)):
        MentorshipFactory(program=program, mentor=mentor, mentee=None, started_at=_ago(days))
        MemberFactory(mentorship=program.mentorships.latest("pk"), user=people[name], joined_at=_ago(days))
    admin = ProgramAdminFactory(username="pam", membership__program=program)
    return {"program": program, "admin": admin, "mentor": mentor, **people}


def test_the_funnel_counts_each_step_and_the_drop_off_before_it(cohort):
    funnel = _section(cohort["admin"], cohort["program"], "funnel")

    assert funnel["table"]["columns"] == ["Step", "People", "Dropped since the step before", "Drop-off"]
    # Cal was matched with an incomplete profile: a funnel counts who passed every step before.
    assert _rows(funnel) == {
        "Joined": [4, 0, "–"],
        "Profile complete": [3, 1, "25%"],
        "Matched": [2, 1, "33%"],
        "First meeting": [1, 1, "50%"],
        "Completed": [1, 0, "0%"],
    }
    assert [bar["value"] for bar in funnel["chart"]["bars"]] == [4, 3, 2, 1, 1]
    assert funnel["drill_down"] == "/programs/cohort/report/funnel/"


def test_the_funnel_of_a_circle_and_of_a_peer_program_counts_their_members():
    circles, peers = circle_world(), peer_world()
    admin = ProgramAdminFactory(username="pam", membership__program=circles["program"])
    MembershipFactory(user=admin, program=peers["program"], role="admin")
    SessionFactory(mentorship=peers["pair"])

    # Nobody in the circle has an industry nor a skill to grow: no profile is complete.
    assert [row[1] for row in _section(admin, circles["program"], "funnel")["table"]["rows"]] == [4, 0, 0, 0, 0]
    # Peers: Ivy, Kai and Lea have complete profiles (Jon has no industry); of them, Ivy has a partner and met.
    assert [row[1] for row in _section(admin, peers["program"], "funnel")["table"]["rows"]] == [4, 3, 1, 1, 0]


def test_the_funnels_drill_down_lists_who_reached_a_step_and_who_dropped_before_it(client, cohort):
    client.force_login(cohort["admin"])
    url = "/programs/cohort/report/funnel/"

    matched = client.get(url, {"step": "matched"}).content.decode()
    dropped = client.get(url, {"step": "matched", "dropped": "1"}).content.decode()

    assert "Amy" in matched and "Bea" in matched and "Cal" not in matched and "Dee" not in matched
    assert "Dee" in dropped and "Amy" not in dropped and "Cal" not in dropped
    assert client.get(url, {"step": "no-such-step"}).status_code == 200  # the first step's list
    assert client.get("/programs/cohort/report/no-such-section/").status_code == 404


def test_time_to_match_has_its_median_and_bands(cohort):
    section = _section(cohort["admin"], cohort["program"], "time_to_match")

    # Joined 10 days ago: Amy matched 8 days ago (2 days on), Cal 3 days ago (7); Bea's mentorship began 40 days
    # ago, before she was added (0 days: imported people are matched at once).
    assert _rows(section) == {
        "Within a week": [3],
        "8–30 days": [0],
        "31–90 days": [0],
        "Over 90 days": [0],
        "Not matched yet": [1],
    }
    assert "within 2 days" in section["summary"]


def test_meetings_are_counted_against_the_agreed_cadence_else_the_programs(cohort):
    program = cohort["program"]
    bea_pair = program.mentorships.get(members__user=cohort["bea"])
    for days in (2, 10, 20, 30):  # 41 days at one every 14: 2.9 expected, 4 held
        SessionFactory(mentorship=bea_pair, date=TODAY - dt.timedelta(days=days))
    section = _section(cohort["admin"], program, "cadence")
    assert _rows(section)["Kept (80% or more)"] == [1]

    # They agreed on one a week: 41 days ask for 5.9, 4 is partly kept.
    Agreement.objects.create(mentorship=bea_pair, cadence_days=7)
    rows = _rows(_section(cohort["admin"], program, "cadence"))

    assert rows["Kept (80% or more)"] == [0]
    assert rows["Partly (40–79%)"] == [1]
    # Amy's (8 days) and Cal's (4 days) ran less than one cadence of 14 days.
    assert rows["Too new to tell"] == [2]


def test_the_period_filters_joiners_sessions_milestones_and_ratings(cohort):
    program, admin = cohort["program"], cohort["admin"]
    _mentee(program, "old", complete=True, joined_days_ago=200)
    goal = GoalFactory(mentee=cohort["amy"], status="achieved")
    MilestoneFactory(goal=goal, done=True, done_at=_ago(2))
    MilestoneFactory(goal=goal, done=True, done_at=_ago(100))
    bea_pair = program.mentorships.get(members__user=cohort["bea"])
    recent = SessionFactory(mentorship=bea_pair, date=TODAY - dt.timedelta(days=2))
    old = SessionFactory(mentorship=bea_pair, date=TODAY - dt.timedelta(days=35))
    Feedback.objects.create(session=recent, author=cohort["bea"], rating=5)
    Feedback.objects.create(session=old, author=cohort["bea"], rating=1)
    last_month = {"from": (TODAY - dt.timedelta(days=29)).isoformat(), "to": TODAY.isoformat()}

    assert _rows(_section(admin, program, "funnel"))["Joined"][0] == 5
    assert _rows(_section(admin, program, "funnel", **last_month))["Joined"][0] == 4
    assert _rows(_section(admin, program, "goals"))["Milestones done in the period"] == [2]
    assert _rows(_section(admin, program, "goals", **last_month))["Milestones done in the period"] == [1]
    assert _rows(_section(admin, program, "ratings"))["Mentees (2)"] == ["3.0"]
    assert _rows(_section(admin, program, "ratings", **last_month))["Mentees (1)"] == ["5.0"]
    response = _get(admin, program, **last_month)
    assert (response.json()["from"], response.json()["to"]) == (last_month["from"], last_month["to"])


def test_goals_achieved_and_pairs_at_risk_are_sections(cohort):
    for status in ("achieved", "achieved", "open", "dropped"):
        GoalFactory(mentee=cohort["bea"], status=status)
    GoalFactory(mentee=UserFactory(), status="achieved")  # no mentee of this program's
    response = _get(cohort["admin"], cohort["program"])

    sections = {s["key"]: s for s in response.json()["sections"]}
    assert list(sections) == [
        "funnel",
        "time_to_match",
        "cadence",
        "goals",
        "ratings",
        "skills_gained",
        "surveys",
        "at_risk",
    ]
    assert _rows(sections["goals"]) == {
        "Open": [1],
        "Achieved": [2],
        "Dropped": [1],
        "Milestones done in the period": [0],
    }
    # Bea's pair started 40 days ago and never met: twice the cadence of 14 days.
    assert _rows(sections["at_risk"])["No recent session"] == [1]
    assert sections["at_risk"]["drill_down"] == "/programs/cohort/at-risk/"
    # What the report always had stays.
    assert {"program", "format", "charts", "circles"} <= response.json().keys()


def test_the_ratings_drill_down_gives_each_mentorships_sides_in_the_period(client, cohort):
    bea_pair = cohort["program"].mentorships.get(members__user=cohort["bea"])
    session = SessionFactory(mentorship=bea_pair, date=TODAY - dt.timedelta(days=2))
    Feedback.objects.create(session=session, author=cohort["bea"], rating=4)
    Feedback.objects.create(session=session, author=cohort["mentor"], rating=2)
    peers = peer_world()
    rated = SessionFactory(mentorship=peers["pair"], date=TODAY - dt.timedelta(days=40))
    Feedback.objects.create(session=rated, author=peers["ivy"], rating=5)
    MembershipFactory(user=cohort["admin"], program=peers["program"], role="admin")
    client.force_login(cohort["admin"])

    page = client.get("/programs/cohort/report/ratings/").content.decode()
    row = page[page.index("Mo Mentor and Bea") :]
    assert "<td>4.0 (1)</td>" in row[:300] and "<td>2.0 (1)</td>" in row[:300]
    assert "Cal" not in page  # unrated
    assert "Peer pair: Ivy Ito and Jon Jones" in client.get("/programs/peers/report/ratings/").content.decode()
    last_month = {"from": (TODAY - dt.timedelta(days=29)).isoformat()}
    assert "Ivy Ito" not in client.get("/programs/peers/report/ratings/", last_month).content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-01", "to": "2026-02-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"from": "2026-03-01", "to": "2026-02-01", "format": "csv"}, "from"),
    ],
)
def test_a_bad_period_is_a_400_on_its_field(cohort, params, field):
    response = _get(cohort["admin"], cohort["program"], **params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [field]


def test_the_csv_has_every_section_as_a_block_a_spreadsheet_reads(cohort):
    response = _get(cohort["admin"], cohort["program"], format="csv", **{"from": "2026-01-01"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="report-cohort.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["program", "cohort", "from", "2026-01-01", "to", ""]
    assert ["section", "Step", "People", "Dropped since the step before", "Drop-off"] in rows
    assert ["funnel", "Matched", "2", "1", "33%"] in rows
    assert {row[0] for row in rows if row and row[0] != "section"} >= {"funnel", "cadence", "goals", "at_risk"}


def test_the_csv_neutralises_cells_a_spreadsheet_would_run():
    section = Section(
        key="skills_gained",
        title="Skills gained",
        summary="-1 on average",
        table=Table(columns=("Skill", "Gain"), rows=[('=HYPERLINK("http://evil.example","x")', -1), ("@SUM(A1)", 2)]),
    )
    out = io.StringIO()

    report_csv(ProgramFactory(slug="p"), Period(), [section], out)

    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert ["skills_gained", '\'=HYPERLINK("http://evil.example","x")', "-1"] in rows
    assert ["skills_gained", "'@SUM(A1)", "2"] in rows
    assert ["section", "Skills gained", "'-1 on average"] in rows


def test_only_the_programs_admins_read_its_report(cohort, mentee, mentor):
    other_admin = ProgramAdminFactory(username="oli", membership__program=ProgramFactory(slug="elsewhere"))
    program = cohort["program"]

    for user, status in ((mentee, 403), (mentor, 403), (other_admin, 404)):
        assert _get(user, program).status_code == status
        assert _get(user, program, format="csv").status_code == status
        client = client_for(user)
        client.force_login(user)
        assert client.get("/programs/cohort/report/funnel/").status_code == status
    client = client_for(other_admin)
    client.force_login(other_admin)
    assert client.get("/reports/", {"program": "cohort"}).status_code == 200  # theirs: the picker ignores `cohort`


def _grow(program, mentor, n: int) -> None:
    for i in range(n):
        user = _mentee(program, f"grown{Membership.objects.count()}", complete=i % 2 == 0, joined_days_ago=i + 1)
        pair = MentorshipFactory(program=program, mentor=mentor, mentee=None, started_at=_ago(30 + i))
        MemberFactory(mentorship=pair, user=user, joined_at=_ago(30 + i))
        Agreement.objects.create(mentorship=pair, cadence_days=7 + i)
        session = SessionFactory(mentorship=pair, date=TODAY - dt.timedelta(days=i % 20))
        Feedback.objects.create(session=session, author=user, rating=1 + i % 5)
        goal = GoalFactory(mentee=user, status="achieved" if i % 2 else "open")
        MilestoneFactory(goal=goal, done=True, done_at=_ago(i))


def test_the_reports_queries_do_not_grow_with_the_program(client, cohort):
    program, admin = cohort["program"], cohort["admin"]
    client.force_login(admin)
    api = client_for(admin)
    pages = [
        "/reports/?program=cohort&from=2020-01-01",
        *[f"/programs/cohort/report/{s}/" for s in ("funnel", "time_to_match", "cadence", "goals", "ratings")],
        "/programs/cohort/report/cadence/?band=too_new",
    ]

    def count() -> list[int]:
        counts = []
        for get, url in (
            [(api.get, "/api/v1/programs/cohort/report/?from=2020-01-01")]
            + [(api.get, "/api/v1/programs/cohort/report/?format=csv")]
            + [(client.get, page) for page in pages]
        ):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                assert get(url).status_code == 200
            counts.append(len(captured))
        return counts

    _grow(program, cohort["mentor"], 2)
    count()  # the first requests fill caches of the process's (content types, the default program)
    few = count()
    _grow(program, cohort["mentor"], 12)

    assert count() == few
