"""Requests, mentorships and the directory live in a program: nothing crosses from one program to another, and a
person's own lists span their programs."""

import datetime as dt

import pytest
from django.utils import timezone

from programs.models import Membership
from tests.conftest import client_for
from tests.factories import (
    GoalFactory,
    IndustryFactory,
    MembershipFactory,
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    ProgramAdminFactory,
    ProgramFactory,
    RequestFactory,
    SkillFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Role, Status = Membership.Role, Membership.Status


def member(user, program, role, **fields):
    MembershipFactory(user=user, program=program, role=role, **fields)
    return user


def listable(user, *, skill="Python", industry="Software"):
    """A profile with the minimum a mentee needs to choose: a headline, an approved skill, an industry."""
    profile = user.profile
    profile.headline = profile.headline or "Staff engineer"
    profile.industry = IndustryFactory(name=industry)
    profile.save()
    profile.skills.set([SkillFactory(name=skill)])
    return user


def usernames(response):
    assert response.status_code == 200, response.json()
    return [m["username"] for m in response.json()["results"]]


@pytest.fixture
def spring(db):
    return ProgramFactory(slug="spring", name="Spring cohort")


@pytest.fixture
def spring_mentor(spring):
    """A mentor in the spring program only."""
    return listable(member(UserFactory(username="sam", full_name="Sam Spring"), spring, Role.MENTOR, capacity=2))


def test_a_request_to_a_mentor_of_another_program_is_a_400_naming_mentor(mentee_client, spring_mentor):
    response = mentee_client.post("/api/v1/requests/", {"mentor": spring_mentor.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["mentor"]


def test_a_request_in_a_program_one_is_no_mentee_of_is_403(mentee_client, spring, spring_mentor):
    response = mentee_client.post("/api/v1/requests/", {"mentor": spring_mentor.pk, "program": "spring"}, format="json")

    assert response.status_code == 403


def test_a_request_names_its_program_and_lands_there(mentee, mentee_client, spring, spring_mentor):
    member(mentee, spring, Role.MENTEE)

    response = mentee_client.post("/api/v1/requests/", {"mentor": spring_mentor.pk, "program": "spring"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["program"] == "spring"


def test_an_unknown_program_in_a_request_is_a_400_naming_program(mentee_client, mentor):
    response = mentee_client.post("/api/v1/requests/", {"mentor": mentor.pk, "program": "nowhere"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["program"]


def test_a_pending_mentor_is_neither_listed_nor_asked(mentee, mentee_client, spring):
    spring.mentor_approval = True
    spring.save()
    member(mentee, spring, Role.MENTEE)
    waiting = listable(member(UserFactory(username="pat"), spring, Role.MENTOR, status=Status.PENDING))

    assert usernames(mentee_client.get("/api/v1/programs/spring/mentors/")) == []
    assert mentee_client.get(f"/api/v1/programs/spring/mentors/{waiting.pk}/").status_code == 404
    response = mentee_client.post("/api/v1/requests/", {"mentor": waiting.pk, "program": "spring"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["mentor"]


@pytest.mark.parametrize(
    "gap", ["headline and bio", "skills", "industry", "approved skills"], ids=lambda gap: f"without {gap}"
)
def test_a_mentor_whose_profile_lacks_the_minimum_is_not_listed_but_may_be_asked(mentee_client, gap):
    complete = listable(MentorFactory(username="cat"))
    thin = listable(MentorFactory(username="tim"), skill="Rust")
    profile = thin.profile
    if gap == "headline and bio":
        profile.headline = profile.bio = ""
        profile.save()
    elif gap == "skills":
        profile.skills.clear()
    elif gap == "industry":
        profile.industry = None
        profile.save()
    else:
        profile.skills.update(status="suggested")

    assert usernames(mentee_client.get("/api/v1/mentors/")) == [complete.username]
    assert mentee_client.post("/api/v1/requests/", {"mentor": thin.pk}, format="json").status_code == 201


def test_an_ended_cohort_takes_no_request(mentee, mentee_client):
    ended = ProgramFactory(
        slug="autumn",
        kind="cohort",
        starts_on=timezone.localdate() - dt.timedelta(days=90),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    member(mentee, ended, Role.MENTEE)
    mentor = listable(member(UserFactory(), ended, Role.MENTOR))

    response = mentee_client.post("/api/v1/requests/", {"mentor": mentor.pk, "program": "autumn"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "program_ended"


def test_the_mentee_limit_is_the_programs_own(mentee, mentee_client, spring, spring_mentor):
    spring.mentee_limit = 2
    spring.save()
    member(mentee, spring, Role.MENTEE)
    MentorshipFactory(program=spring, mentee=mentee)
    MentorshipFactory(mentee=mentee)  # in main, whose limit (1) it fills: spring does not count it

    asked = mentee_client.post("/api/v1/requests/", {"mentor": spring_mentor.pk, "program": "spring"}, format="json")
    assert asked.status_code == 201, asked.json()

    MentorshipFactory(program=spring, mentee=mentee)  # two in spring now: full there
    third = listable(member(UserFactory(), spring, Role.MENTOR))
    refused = mentee_client.post("/api/v1/requests/", {"mentor": third.pk, "program": "spring"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "mentee_full"


def test_a_mentors_capacity_in_one_program_ignores_their_mentorships_in_another(mentee_client, spring):
    mentor = listable(MentorFactory(username="mo"))
    Membership.objects.filter(user=mentor, role=Role.MENTOR).update(capacity=1)
    member(mentor, spring, Role.MENTOR, capacity=1)
    MentorshipFactory(program=spring, mentor=mentor)  # spring's slot is taken
    RequestFactory(program=spring, mentor=mentor, origin="match_round")  # and an offer there would hold one

    assert mentee_client.get(f"/api/v1/mentors/{mentor.pk}/").json()["open_slots"] == 1
    assert mentee_client.get(f"/api/v1/programs/spring/mentors/{mentor.pk}/").json()["open_slots"] == 0
    request = RequestFactory(mentor=mentor)  # in main
    assert client_for(mentor).post(f"/api/v1/requests/{request.pk}/accept/").status_code == 200


def test_accepting_closes_the_mentees_other_requests_in_that_program_only(mentee, spring, spring_mentor):
    member(mentee, spring, Role.MENTEE)
    chosen = RequestFactory(mentee=mentee)
    same_program = RequestFactory(mentee=mentee)
    elsewhere = RequestFactory(program=spring, mentee=mentee, mentor=spring_mentor)

    assert client_for(chosen.mentor).post(f"/api/v1/requests/{chosen.pk}/accept/").status_code == 200

    same_program.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (same_program.status, elsewhere.status) == ("withdrawn", "pending")


def test_each_program_has_its_own_directory(mentee_client, mentor, spring_mentor):
    listable(mentor)

    assert usernames(mentee_client.get("/api/v1/mentors/")) == [mentor.username]
    assert usernames(mentee_client.get("/api/v1/programs/main/mentors/")) == [mentor.username]
    assert usernames(mentee_client.get("/api/v1/programs/spring/mentors/")) == [spring_mentor.username]


def test_nothing_of_one_program_is_seen_through_anothers_paths(mentee_client, mentor, spring_mentor):
    listable(mentor)
    hidden = ProgramFactory(slug="board", enrollment="invite")
    listable(member(UserFactory(), hidden, Role.MENTOR))

    assert mentee_client.get(f"/api/v1/programs/main/mentors/{spring_mentor.pk}/").status_code == 404
    assert mentee_client.get(f"/api/v1/programs/spring/mentors/{mentor.pk}/").status_code == 404
    assert mentee_client.get("/api/v1/programs/board/mentors/").status_code == 404
    assert mentee_client.get("/api/v1/programs/nowhere/mentors/").status_code == 404


def test_personal_lists_span_programs_and_filter_by_program(mentee, mentee_client, spring, spring_mentor):
    member(mentee, spring, Role.MENTEE)
    in_main = RequestFactory(mentee=mentee)
    in_spring = RequestFactory(program=spring, mentee=mentee, mentor=spring_mentor)
    MentorshipFactory(mentee=mentee)
    MentorshipFactory(program=spring, mentee=mentee, mentor=spring_mentor)

    every = mentee_client.get("/api/v1/requests/").json()["results"]
    assert {(r["id"], r["program"]) for r in every} == {(in_main.pk, "main"), (in_spring.pk, "spring")}
    only_spring = mentee_client.get("/api/v1/requests/", {"program": "spring"}).json()["results"]
    assert [r["id"] for r in only_spring] == [in_spring.pk]
    mentorships = mentee_client.get("/api/v1/mentorships/", {"program": "spring"}).json()["results"]
    assert [(m["program"], m["mentor"]["id"]) for m in mentorships] == [("spring", spring_mentor.pk)]


def test_a_program_admin_sees_their_programs_requests_and_mentorships_only(spring, spring_mentor):
    admin = ProgramAdminFactory(membership__program=spring)
    theirs = RequestFactory(program=spring, mentee=member(MenteeFactory(), spring, Role.MENTEE), mentor=spring_mentor)
    pair = MentorshipFactory(program=spring, mentor=spring_mentor)
    RequestFactory()  # in main
    MentorshipFactory()
    client = client_for(admin)

    assert [r["id"] for r in client.get("/api/v1/requests/").json()["results"]] == [theirs.pk]
    assert [m["id"] for m in client.get("/api/v1/mentorships/").json()["results"]] == [pair.pk]
    assert client.post(f"/api/v1/mentorships/{pair.pk}/complete/").status_code == 403


def test_a_program_admin_reads_the_goals_of_their_programs_people(spring):
    admin = ProgramAdminFactory(membership__program=spring)
    theirs = GoalFactory(mentee=member(MenteeFactory(), spring, Role.MENTEE))
    GoalFactory()  # of a mentee in main only

    assert [g["id"] for g in client_for(admin).get("/api/v1/goals/").json()["results"]] == [theirs.pk]


def test_a_mentor_reads_the_goals_of_those_they_mentor_in_any_program(spring, spring_mentor):
    mentee = member(MenteeFactory(), spring, Role.MENTEE)
    goal = GoalFactory(mentee=mentee)
    MentorshipFactory(program=spring, mentor=spring_mentor, mentee=mentee)

    assert [g["id"] for g in client_for(spring_mentor).get("/api/v1/goals/").json()["results"]] == [goal.pk]


def test_the_program_directory_pages(client, mentee, mentor, spring_mentor):
    listable(mentor)
    client.force_login(mentee)

    flat = client.get("/mentors/").content.decode()
    nested = client.get("/programs/spring/mentors/").content.decode()
    page = client.get(f"/programs/spring/mentors/{spring_mentor.pk}/")

    assert mentor.full_name in flat and spring_mentor.full_name not in flat
    assert spring_mentor.full_name in nested and mentor.full_name not in nested
    assert f"/programs/spring/mentors/{spring_mentor.pk}/" in nested
    assert page.status_code == 200
    assert "Request mentorship" not in page.content.decode()  # not a mentee of spring
    assert client.get(f"/programs/spring/mentors/{mentor.pk}/").status_code == 404
