"""Group programs over the API: a mentor's circle of up to their capacity mentees, who join it by request, see each
other, share goals if they choose, attend sessions logged once, rate what they attended, and leave it while it goes
on; the mentor closes it."""

import pytest
from django.core import mail
from django.utils import timezone

from mentorship.models import Mentorship, MentorshipMember, MentorshipRequest
from programs.models import Membership
from tests.conftest import client_for
from tests.factories import (
    GoalFactory,
    MembershipFactory,
    ProgramAdminFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role
TODAY = timezone.localdate
CAPACITY = 3


def in_program(user, program, role, *, headline="", **fields):
    MembershipFactory(user=user, program=program, role=role, **fields)
    if headline:
        user.profile.headline = headline
        user.profile.save(update_fields=["headline", "updated_at"])
    return user


@pytest.fixture
def group(db):
    return ProgramFactory(slug="circles", name="Leadership circles", format="group")


@pytest.fixture
def guide(group):
    """Gia mentors a circle of up to three."""
    user = UserFactory(username="gia", full_name="Gia Guide")
    return in_program(user, group, Role.MENTOR, headline="VP Engineering", capacity=CAPACITY)


@pytest.fixture
def joiners(group):
    """Four mentees of the group program, each with a headline."""
    names = ("ann", "bea", "cal", "dev")
    return {
        name: in_program(
            UserFactory(username=name, full_name=name.title()), group, Role.MENTEE, headline=f"{name.title()} the PM"
        )
        for name in names
    }


def ask(mentee, mentor, program="circles", **body):
    return client_for(mentee).post(
        "/api/v1/requests/", {"mentor": mentor.pk, "program": program, **body}, format="json"
    )


def accept(mentor, request_id):
    return client_for(mentor).post(f"/api/v1/requests/{request_id}/accept/")


def join(mentee, mentor) -> dict:
    """The mentee asks and the mentor accepts: the answer to the accept."""
    asked = ask(mentee, mentor)
    assert asked.status_code == 201, asked.json()
    accepted = accept(mentor, asked.json()["id"])
    assert accepted.status_code == 200, accepted.json()
    return accepted.json()


@pytest.fixture
def circle(guide, joiners) -> Mentorship:
    """Ann, Bea and Cal are in Gia's circle."""
    ids = {join(joiners[name], guide)["mentorship"] for name in ("ann", "bea", "cal")}
    assert len(ids) == 1
    return Mentorship.objects.get(pk=ids.pop())


def detail(user, circle):
    return client_for(user).get(f"/api/v1/mentorships/{circle.pk}/")


def sessions_url(circle):
    return f"/api/v1/mentorships/{circle.pk}/sessions/"


def open_slots(user, mentor):
    response = client_for(user).get(f"/api/v1/programs/circles/mentors/{mentor.pk}/")
    assert response.status_code == 200, response.json()
    return response.json()["open_slots"]


def goal_ids(user) -> set[int]:
    response = client_for(user).get("/api/v1/goals/", {"page_size": 100})
    assert response.status_code == 200
    return {goal["id"] for goal in response.json()["results"]}


# --- Joining ------------------------------------------------------------------------------------------------


def test_each_accepted_mentee_joins_the_mentors_one_circle(guide, joiners, circle):
    body = detail(guide, circle).json()

    assert body["format"] == "group"
    assert body["mentor"]["id"] == guide.pk
    assert body["mentee"] is None
    assert body["people"] == []
    assert [m["username"] for m in body["mentees"]] == ["ann", "bea", "cal"]
    assert [(m["username"], m["role"], m["status"]) for m in body["members"]] == [
        ("ann", "mentee", "active"),
        ("bea", "mentee", "active"),
        ("cal", "mentee", "active"),
    ]
    assert Mentorship.objects.filter(mentor=guide).count() == 1
    assert circle.request.mentee == joiners["ann"]  # the first request started it


def test_every_joining_request_names_the_circle_it_joined(guide, joiners, circle):
    for name in ("ann", "bea", "cal"):
        listed = client_for(joiners[name]).get("/api/v1/requests/").json()["results"]
        assert [(r["status"], r["mentorship"]) for r in listed] == [("accepted", circle.pk)]


def test_a_circle_is_full_at_the_mentors_capacity(guide, joiners, circle):
    asked = ask(joiners["dev"], guide)

    assert asked.status_code == 409
    assert asked.json()["code"] == "mentor_full"
    assert open_slots(joiners["dev"], guide) == 0


def test_a_request_accepted_past_capacity_is_409_mentor_full(guide, joiners):
    for name in ("ann", "bea", "cal"):
        ask(joiners[name], guide)
    late = ask(joiners["dev"], guide).json()["id"]  # sent while there was room
    for request in MentorshipRequest.objects.filter(mentor=guide).exclude(pk=late):
        assert accept(guide, request.pk).status_code == 200

    response = accept(guide, late)

    assert response.status_code == 409
    assert response.json()["code"] == "mentor_full"
    assert MentorshipMember.objects.filter(mentor=guide, status="active").count() == CAPACITY


def test_members_see_the_mentor_and_each_others_names_and_headlines(guide, joiners, circle):
    body = detail(joiners["bea"], circle).json()

    assert body["mentor"]["full_name"] == "Gia Guide"
    assert body["mentor"]["headline"] == "VP Engineering"
    assert {(m["full_name"], m["headline"]) for m in body["members"]} == {
        ("Ann", "Ann the PM"),
        ("Bea", "Bea the PM"),
        ("Cal", "Cal the PM"),
    }


def test_someone_outside_the_circle_does_not_see_it(joiners, circle):
    assert detail(joiners["dev"], circle).status_code == 404
    assert client_for(joiners["dev"]).get("/api/v1/mentorships/").json()["count"] == 0


def test_a_mentee_who_left_may_ask_the_same_mentor_again_and_rejoins(guide, joiners, circle):
    first = MentorshipRequest.objects.get(mentee=joiners["ann"])
    client_for(joiners["ann"]).post(f"/api/v1/mentorships/{circle.pk}/leave/")

    again = join(joiners["ann"], guide)

    assert again["mentorship"] == circle.pk
    members = detail(guide, circle).json()["members"]
    assert [(m["username"], m["status"]) for m in members if m["username"] == "ann"] == [
        ("ann", "left"),
        ("ann", "active"),
    ]
    # The first request still names the circle it joined: leaving and coming back is a second stay, not a rewrite.
    listed = {r["id"]: r["mentorship"] for r in client_for(joiners["ann"]).get("/api/v1/requests/").json()["results"]}
    assert listed == {first.pk: circle.pk, again["id"]: circle.pk}


# --- Goals ----------------------------------------------------------------------------------------------------


def test_a_members_goal_is_the_mentors_to_see_until_shared_with_the_circle(guide, joiners, circle):
    goal = GoalFactory(mentee=joiners["ann"], title="Run a planning meeting")

    assert goal.pk in goal_ids(guide)
    assert goal.pk in goal_ids(joiners["ann"])
    assert goal.pk not in goal_ids(joiners["bea"])
    assert client_for(joiners["bea"]).get(f"/api/v1/goals/{goal.pk}/").status_code == 404

    shared = client_for(joiners["ann"]).patch(f"/api/v1/goals/{goal.pk}/", {"shared": True}, format="json")

    assert shared.status_code == 200
    assert shared.json()["shared"] is True
    assert goal.pk in goal_ids(joiners["bea"])
    assert goal.pk in goal_ids(joiners["cal"])
    assert goal.pk not in goal_ids(joiners["dev"])  # not in the circle
    assert client_for(joiners["bea"]).patch(f"/api/v1/goals/{goal.pk}/", {"title": "Mine"}).status_code == 403


def test_a_member_who_leaves_no_longer_sees_the_circles_shared_goals(joiners, circle):
    goal = GoalFactory(mentee=joiners["ann"], shared=True)
    assert goal.pk in goal_ids(joiners["bea"])

    client_for(joiners["bea"]).post(f"/api/v1/mentorships/{circle.pk}/leave/")

    assert goal.pk not in goal_ids(joiners["bea"])


# --- Sessions and feedback --------------------------------------------------------------------------------------


def log(user, circle, **body):
    return client_for(user).post(
        sessions_url(circle), {"date": str(TODAY()), "duration_minutes": 60, **body}, format="json"
    )


def test_the_mentor_logs_one_session_for_the_circle_with_who_came(guide, joiners, circle):
    ann_goal = GoalFactory(mentee=joiners["ann"])
    bea_goal = GoalFactory(mentee=joiners["bea"])

    response = log(
        guide, circle, attendees=[guide.pk, joiners["ann"].pk, joiners["bea"].pk], goals=[ann_goal.pk, bea_goal.pk]
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [a["username"] for a in body["attendees"]] == ["gia", "ann", "bea"]
    assert {g["id"] for g in body["goals"]} == {ann_goal.pk, bea_goal.pk}
    listed = client_for(joiners["cal"]).get(sessions_url(circle)).json()["results"]
    assert [s["id"] for s in listed] == [body["id"]]  # every member reads the circle's sessions


def test_a_session_without_attendees_was_attended_by_everyone_in_the_circle(guide, circle):
    response = log(guide, circle)

    assert response.status_code == 201
    assert [a["username"] for a in response.json()["attendees"]] == ["gia", "ann", "bea", "cal"]


@pytest.mark.parametrize(
    ("who", "field"),
    [("dev", "attendees"), ("outsider", "attendees")],
)
def test_an_attendee_who_is_not_in_the_circle_is_400(guide, joiners, circle, who, field):
    stranger = joiners["dev"] if who == "dev" else UserFactory()

    response = log(guide, circle, attendees=[joiners["ann"].pk, stranger.pk])

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not circle.sessions.exists()


def test_a_goal_of_someone_who_did_not_attend_is_400_goals(guide, joiners, circle):
    outsiders_goal = GoalFactory(mentee=joiners["dev"])
    absent_members_goal = GoalFactory(mentee=joiners["cal"])
    mentors_own_goal = GoalFactory(mentee=guide)

    for goal in (outsiders_goal, absent_members_goal, mentors_own_goal):
        response = log(guide, circle, attendees=[guide.pk, joiners["ann"].pk], goals=[goal.pk])
        assert response.status_code == 400, goal
        assert list(response.json()) == ["goals"]
    assert not circle.sessions.exists()


def test_a_member_does_not_log_the_circles_sessions(joiners, circle):
    assert log(joiners["ann"], circle).status_code == 403


def test_everyone_who_came_rates_the_session_once(guide, joiners, circle):
    session_id = log(guide, circle, attendees=[guide.pk, joiners["ann"].pk, joiners["bea"].pk]).json()["id"]
    url = f"{sessions_url(circle)}{session_id}/feedback/"

    assert client_for(joiners["ann"]).post(url, {"rating": 5}, format="json").status_code == 201
    assert client_for(joiners["bea"]).post(url, {"rating": 3}, format="json").status_code == 201
    again = client_for(joiners["ann"]).post(url, {"rating": 1}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_rated"
    assert client_for(joiners["cal"]).post(url, {"rating": 4}, format="json").status_code == 403  # not there
    assert client_for(guide).post(url, {"rating": 4}, format="json").status_code == 201  # the mentor came too
    session = client_for(guide).get(f"{sessions_url(circle)}{session_id}/").json()
    assert sorted((r["author"], r["rating"]) for r in session["ratings"]) == sorted(
        [(joiners["ann"].pk, 5), (joiners["bea"].pk, 3), (guide.pk, 4)]
    )


# --- Leaving and closing -----------------------------------------------------------------------------------------


def test_a_member_leaves_and_the_circle_goes_on_with_their_place_free(guide, joiners, circle):
    assert open_slots(joiners["dev"], guide) == 0

    response = client_for(joiners["ann"]).post(f"/api/v1/mentorships/{circle.pk}/leave/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "active"
    assert [m["username"] for m in body["mentees"]] == ["bea", "cal"]
    ann = next(m for m in body["members"] if m["username"] == "ann")
    assert ann["status"] == "left"
    assert ann["left_at"] is not None
    assert open_slots(joiners["dev"], guide) == 1
    assert join(joiners["dev"], guide)["mentorship"] == circle.pk
    # Ann still reads the circle she was in, but is no longer in its sessions.
    assert detail(joiners["ann"], circle).status_code == 200
    assert joiners["ann"].pk not in [a["id"] for a in log(guide, circle).json()["attendees"]]


def test_leaving_twice_or_as_the_mentor_is_403(guide, joiners, circle):
    url = f"/api/v1/mentorships/{circle.pk}/leave/"
    assert client_for(joiners["ann"]).post(url).status_code == 200

    assert client_for(joiners["ann"]).post(url).status_code == 403
    assert client_for(guide).post(url).status_code == 403


def test_a_closed_circle_cannot_be_left(guide, joiners, circle):
    client_for(guide).post(f"/api/v1/mentorships/{circle.pk}/complete/")

    response = client_for(joiners["ann"]).post(f"/api/v1/mentorships/{circle.pk}/leave/")

    assert response.status_code == 409
    assert response.json()["code"] == "not_active"


def test_a_one_on_one_cannot_be_left_only_completed(mentorship, mentee_client):
    response = mentee_client.post(f"/api/v1/mentorships/{mentorship.pk}/leave/")

    assert response.status_code == 409
    assert response.json()["code"] == "not_a_circle"


def test_a_member_cannot_close_the_circle(joiners, circle):
    response = client_for(joiners["ann"]).post(f"/api/v1/mentorships/{circle.pk}/complete/")

    assert response.status_code == 403
    assert Mentorship.objects.get(pk=circle.pk).status == "active"


def test_the_mentor_closes_the_circle_for_every_member(guide, joiners, circle):
    client_for(joiners["cal"]).post(f"/api/v1/mentorships/{circle.pk}/leave/")

    response = client_for(guide).post(f"/api/v1/mentorships/{circle.pk}/complete/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    assert {m["username"]: m["status"] for m in body["members"]} == {"ann": "ended", "bea": "ended", "cal": "left"}
    assert [m["username"] for m in body["mentees"]] == ["ann", "bea"]  # who was in it at the end
    assert open_slots(joiners["dev"], guide) == CAPACITY
    assert log(guide, circle).status_code == 409


def test_after_a_circle_closes_the_next_accept_starts_a_new_one(guide, joiners, circle):
    client_for(guide).post(f"/api/v1/mentorships/{circle.pk}/complete/")

    joined = join(joiners["dev"], guide)

    assert joined["mentorship"] != circle.pk
    assert Mentorship.objects.get(pk=joined["mentorship"]).format == "group"


# --- Capacity and membership of the program ------------------------------------------------------------------


def test_capacity_cannot_drop_below_the_circles_size(group, guide, circle):
    admin = ProgramAdminFactory(membership__program=group)
    seat = Membership.objects.get(user=guide, program=group, role=Role.MENTOR)
    url = f"/api/v1/programs/circles/members/{seat.pk}/"

    below = client_for(admin).patch(url, {"capacity": CAPACITY - 1}, format="json")
    own = client_for(guide).patch("/api/v1/programs/circles/membership/", {"capacity": 2}, format="json")
    client_for(circle.members.first().user).post(f"/api/v1/mentorships/{circle.pk}/leave/")
    after_one_left = client_for(admin).patch(url, {"capacity": CAPACITY - 1}, format="json")

    assert below.status_code == 400
    assert list(below.json()) == ["capacity"]
    assert own.status_code == 400
    assert after_one_left.status_code == 200
    assert after_one_left.json()["capacity"] == CAPACITY - 1


def test_a_mentee_removed_from_the_program_stays_in_the_circle_until_they_leave(group, joiners, circle):
    """Removal from a program closes pending requests only, in every format (API.md): the circle goes on with them
    until they leave it or the mentor closes it."""
    admin = ProgramAdminFactory(membership__program=group)
    seat = Membership.objects.get(user=joiners["ann"], program=group, role=Role.MENTEE)

    assert (
        client_for(admin)
        .patch(f"/api/v1/programs/circles/members/{seat.pk}/", {"status": "removed"}, format="json")
        .json()["status"]
        == "removed"
    )

    assert [m["username"] for m in detail(joiners["bea"], circle).json()["mentees"]] == ["ann", "bea", "cal"]
    assert client_for(joiners["ann"]).post(f"/api/v1/mentorships/{circle.pk}/leave/").status_code == 200


def test_one_on_one_mentorships_keep_their_shape(mentorship, mentee, mentor, mentor_client):
    body = mentor_client.get(f"/api/v1/mentorships/{mentorship.pk}/").json()

    assert body["format"] == "one_on_one"
    assert body["mentee"]["id"] == mentee.pk
    assert body["mentor"]["id"] == mentor.pk
    assert [m["id"] for m in body["mentees"]] == [mentee.pk]
    assert body["people"] == []


def test_the_emails_speak_of_joining_a_circle(guide, joiners, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(joiners["ann"], guide)
    with django_capture_on_commit_callbacks(execute=True):
        accept(guide, asked.json()["id"])

    received, accepted = mail.outbox
    assert received.subject == "New request to join a circle from Ann"
    assert "Ann would like to join your circle in Leadership circles." in received.body
    assert accepted.subject == "Gia Guide accepted your request to join a circle"
    assert "you are now a member of their circle" in accepted.body
