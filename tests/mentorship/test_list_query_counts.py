"""Every list endpoint renders a page in a fixed number of queries, whatever the page size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship.models import Feedback
from programs.models import Membership
from tests.conftest import client_for
from tests.factories import (
    GoalFactory,
    MemberFactory,
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    MilestoneFactory,
    ProgramFactory,
    RequestFactory,
    SessionFactory,
    SkillFactory,
    UserFactory,
    with_profile,
)

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def busy_program(mentor):
    """A mentor with many of everything: mentees, requests, sessions with feedback, goals with milestones."""
    Membership.objects.filter(user=mentor, role="mentor").update(capacity=ROWS + 1)
    mentor.profile.skills.set([SkillFactory(name=f"Skill {i}") for i in range(3)])
    first = None
    for i in range(ROWS):
        mentee = MenteeFactory()
        mentorship = MentorshipFactory(mentor=mentor, mentee=mentee)
        first = first or mentorship
        goal = GoalFactory(mentee=mentee)
        goal.skills.set([SkillFactory(name=f"Skill {i % 3}")])
        MilestoneFactory.create_batch(2, goal=goal, done=bool(i % 2))
        request = RequestFactory(mentor=mentor, mentee=MenteeFactory())
        request.goals.set([GoalFactory(mentee=request.mentee)])
        session = SessionFactory(mentorship=first, date=timezone.localdate() - dt.timedelta(days=i))
        session.goals.set([GoalFactory(mentee=first.mentee)])
        Feedback.objects.create(session=session, author=session.mentorship.mentee, rating=1 + i % 5)
        with_profile(MentorFactory(), skills=[f"Skill {i % 3}"], industry="Software")  # listed in the directory
    goal_with_milestones = GoalFactory(mentee=first.mentee)
    MilestoneFactory.create_batch(ROWS, goal=goal_with_milestones)
    return {"mentorship": first, "goal": goal_with_milestones}


def _count(client, url, page_size):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == page_size
    return len(queries)


LISTS = {
    "mentors": lambda w: "/api/v1/mentors/",
    "requests": lambda w: "/api/v1/requests/",
    "mentorships": lambda w: "/api/v1/mentorships/",
    "sessions": lambda w: f"/api/v1/mentorships/{w['mentorship'].pk}/sessions/",
    "goals": lambda w: "/api/v1/goals/",
    "milestones": lambda w: f"/api/v1/goals/{w['goal'].pk}/milestones/",
}


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_do_not_grow_with_the_page(busy_program, mentor, name):
    client = client_for(mentor)
    url = LISTS[name](busy_program)

    small, large = _count(client, url, 2), _count(client, url, ROWS)

    assert small == large, f"{name}: {small} queries for 2 rows, {large} for {ROWS}"
    print(f"{name}: {large} queries per page")


@pytest.fixture
def circles_and_pairs(db):
    """ROWS circles of three (one member left each), ROWS peer pairs with sessions, and a peer program's peers
    with both sides' skills."""
    group = ProgramFactory(format="group")
    pairs = ProgramFactory(format="peer", slug="pairs")
    for i in range(ROWS):
        circle = MentorshipFactory(program=group, mentee=None, mentor=UserFactory())
        for status in ("active", "active", "left"):
            MemberFactory(mentorship=circle, status=status)
        SessionFactory(mentorship=circle)
        pair = MentorshipFactory(program=pairs, mentor=None, mentee=None)
        for _ in range(2):
            peer = MembershipFactory(program=pairs, role="peer").user
            peer.profile.skills.set([SkillFactory(name=f"Skill {i % 3}")])
            peer.profile.wanted_skills.set([SkillFactory(name=f"Skill {(i + 1) % 3}")])
            MemberFactory(mentorship=pair, user=peer)
        SessionFactory(mentorship=pair)
    viewer = MembershipFactory(program=pairs, role="peer").user
    return {"viewer": viewer}


@pytest.mark.parametrize(
    ("name", "url"), [("mentorships", "/api/v1/mentorships/"), ("peers", "/api/v1/programs/pairs/peers/")]
)
def test_circles_pairs_and_peers_list_in_a_fixed_number_of_queries(circles_and_pairs, admin_user, name, url):
    client = client_for(admin_user if name == "mentorships" else circles_and_pairs["viewer"])
    client.get(url)  # the viewer's memberships are read once, then kept (programs.selectors.memberships_of)

    small, large = _count(client, url, 2), _count(client, url, ROWS)

    assert small == large, f"{name}: {small} queries for 2 rows, {large} for {ROWS}"
    print(f"{name}: {large} queries per page")
