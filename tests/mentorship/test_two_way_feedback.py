"""Two-way feedback over the API, in every format: everyone who came rates a session (the mentor too); a comment is
its author's and the program admins' until its author shares it; the mentor rates the mentees' progress on the goals
a session worked on (in a peer pair, each peer their partner's), and the goal's owner reads it."""

import pytest

from mentorship.models import ProgressRating
from tests import formats
from tests.conftest import client_for
from tests.factories import GoalFactory, ProgramAdminFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _feedback_url(session) -> str:
    return f"/api/v1/mentorships/{session.mentorship_id}/sessions/{session.pk}/feedback/"


def _progress_url(session) -> str:
    return f"/api/v1/mentorships/{session.mentorship_id}/sessions/{session.pk}/progress/"


def _rate(user, session, rating=4, **body):
    return client_for(user).post(_feedback_url(session), {"rating": rating, **body}, format="json")


def _read(user, session) -> dict:
    response = client_for(user).get(f"/api/v1/mentorships/{session.mentorship_id}/sessions/{session.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def _comments(user, session) -> dict[int, tuple[str, bool]]:
    return {r["author"]: (r["comment"], r["shared"]) for r in _read(user, session)["ratings"]}


@pytest.fixture
def circle():
    return formats.circle_world()


@pytest.fixture
def peers():
    return formats.peer_world()


# --- Session ratings ---------------------------------------------------------------------------------------------


def test_in_a_one_on_one_both_rate_and_an_unshared_comment_stays_with_its_author_and_the_admins(
    mentorship, mentee, mentor, admin_user
):
    session = SessionFactory(mentorship=mentorship)

    by_mentee = _rate(mentee, session, 5, comment="Very useful.")
    by_mentor = _rate(mentor, session, 3, comment="Maya came unprepared.", shared=False)

    assert (by_mentee.status_code, by_mentor.status_code) == (201, 201)
    assert by_mentee.json()["comment"] == "Very useful." and by_mentee.json()["shared"] is False
    assert _comments(mentee, session) == {mentee.pk: ("Very useful.", False), mentor.pk: ("", False)}
    assert _comments(mentor, session) == {mentee.pk: ("", False), mentor.pk: ("Maya came unprepared.", False)}
    assert _comments(admin_user, session) == {
        mentee.pk: ("Very useful.", False),
        mentor.pk: ("Maya came unprepared.", False),
    }
    assert _read(mentor, session)["feedback"]["author"] == mentee.pk  # `feedback` stays the mentee's


def test_a_shared_comment_is_read_by_the_other_side(mentorship, mentee, mentor):
    session = SessionFactory(mentorship=mentorship)

    assert _rate(mentor, session, 4, comment="Great progress on the talk.", shared=True).status_code == 201

    assert _comments(mentee, session)[mentor.pk] == ("Great progress on the talk.", True)


def test_a_program_admin_of_the_mentorships_program_reads_every_comment(mentorship, mentee):
    session = SessionFactory(mentorship=mentorship)
    _rate(mentee, session, 2, comment="Not sure this works for me.")
    program_admin = ProgramAdminFactory(username="pam")

    assert _comments(program_admin, session)[mentee.pk] == ("Not sure this works for me.", False)


def test_in_a_circle_the_mentor_and_each_member_who_came_rate_and_nobody_else_reads_an_unshared_comment(circle):
    ana, ben, cy, otto = circle["ana"], circle["ben"], circle["cy"], circle["mentor"]
    session = SessionFactory(mentorship=circle["circle"], attendees=[otto, ana, ben])
    admin = ProgramAdminFactory(username="pam", membership__program=circle["program"])

    assert _rate(ana, session, 5, comment="Ana's own view").status_code == 201
    assert _rate(ben, session, 4, comment="Ben tells the circle", shared=True).status_code == 201
    assert _rate(otto, session, 4, comment="Otto's notes").status_code == 201
    assert _rate(cy, session).status_code == 403  # Cy did not come
    again = _rate(ana, session, 1)
    assert (again.status_code, again.json()["code"]) == (409, "already_rated")

    assert _comments(ben, session) == {
        ana.pk: ("", False),
        ben.pk: ("Ben tells the circle", True),
        otto.pk: ("", False),
    }
    assert _comments(otto, session)[ana.pk] == ("", False)
    assert _comments(admin, session) == {
        ana.pk: ("Ana's own view", False),
        ben.pk: ("Ben tells the circle", True),
        otto.pk: ("Otto's notes", False),
    }


def test_both_peers_rate_and_each_reads_the_others_comment_only_when_shared(peers):
    ivy, jon = peers["ivy"], peers["jon"]
    session = SessionFactory(mentorship=peers["pair"])

    _rate(ivy, session, 5, comment="Jon explained dbt well", shared=True)
    _rate(jon, session, 3, comment="I talked too much")

    assert _comments(jon, session)[ivy.pk] == ("Jon explained dbt well", True)
    assert _comments(ivy, session)[jon.pk] == ("", False)


# --- Progress ratings ---------------------------------------------------------------------------------------------


def test_the_mentor_rates_progress_on_each_goal_a_session_worked_on_and_the_mentee_reads_it(
    mentorship, mentee, mentor, outsider
):
    speaking, hiring = GoalFactory(mentee=mentee, title="Speak at a meetup"), GoalFactory(mentee=mentee)
    session = SessionFactory(mentorship=mentorship)
    session.goals.set([speaking, hiring])
    body = {
        "ratings": [{"goal": speaking.pk, "rating": 4, "note": "Rehearsed twice"}, {"goal": hiring.pk, "rating": 2}]
    }

    response = client_for(mentor).post(_progress_url(session), body, format="json")

    assert response.status_code == 201, response.content
    assert [(r["goal"]["id"], r["rating"], r["note"]) for r in response.json()] == [
        (speaking.pk, 4, "Rehearsed twice"),
        (hiring.pk, 2, ""),
    ]
    seen = _read(mentee, session)["progress"]
    assert {(r["goal"]["id"], r["rater"], r["rating"]) for r in seen} == {
        (speaking.pk, mentor.pk, 4),
        (hiring.pk, mentor.pk, 2),
    }
    assert client_for(outsider).post(_progress_url(session), body, format="json").status_code == 404


def test_only_the_mentor_rates_progress(mentorship, mentee, admin_user):
    goal = GoalFactory(mentee=mentee)
    session = SessionFactory(mentorship=mentorship)
    session.goals.set([goal])
    body = {"ratings": [{"goal": goal.pk, "rating": 5}]}

    assert client_for(mentee).post(_progress_url(session), body, format="json").status_code == 403
    assert client_for(admin_user).post(_progress_url(session), body, format="json").status_code == 403
    assert not ProgressRating.objects.exists()


def test_a_goal_the_session_did_not_work_on_is_a_400_and_nothing_is_saved(mentorship, mentee, mentor):
    touched, untouched = GoalFactory(mentee=mentee), GoalFactory(mentee=mentee)
    session = SessionFactory(mentorship=mentorship)
    session.goals.set([touched])
    body = {"ratings": [{"goal": touched.pk, "rating": 4}, {"goal": untouched.pk, "rating": 4}]}

    response = client_for(mentor).post(_progress_url(session), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["ratings"]
    assert not ProgressRating.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, "four", None])
def test_a_progress_rating_is_1_to_5(mentorship, mentee, mentor, rating):
    goal = GoalFactory(mentee=mentee)
    session = SessionFactory(mentorship=mentorship)
    session.goals.set([goal])

    body = {"ratings": [{"goal": goal.pk, "rating": rating}]}
    response = client_for(mentor).post(_progress_url(session), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["ratings"]


def test_a_goal_is_rated_once_per_session(mentorship, mentee, mentor):
    goal = GoalFactory(mentee=mentee)
    session = SessionFactory(mentorship=mentorship)
    session.goals.set([goal])
    body = {"ratings": [{"goal": goal.pk, "rating": 4}]}

    assert client_for(mentor).post(_progress_url(session), body, format="json").status_code == 201
    again = client_for(mentor).post(_progress_url(session), body, format="json")

    assert (again.status_code, again.json()["code"]) == (409, "already_rated")
    assert ProgressRating.objects.count() == 1


def test_a_circles_mentor_rates_each_members_goal_and_each_member_reads_only_their_own(circle):
    ana, ben, otto = circle["ana"], circle["ben"], circle["mentor"]
    goals = circle["goals"]
    session = SessionFactory(mentorship=circle["circle"], attendees=[otto, ana, ben])
    session.goals.set([goals["ana_private"], goals["ben_shared"]])
    body = {"ratings": [{"goal": goals["ana_private"].pk, "rating": 3}, {"goal": goals["ben_shared"].pk, "rating": 5}]}

    assert client_for(otto).post(_progress_url(session), body, format="json").status_code == 201
    assert client_for(ana).post(_progress_url(session), body, format="json").status_code == 403

    assert [r["goal"]["id"] for r in _read(ana, session)["progress"]] == [goals["ana_private"].pk]
    assert [r["goal"]["id"] for r in _read(ben, session)["progress"]] == [goals["ben_shared"].pk]
    assert len(_read(otto, session)["progress"]) == 2


def test_each_peer_rates_the_others_goal_but_not_their_own(peers):
    ivy, jon = peers["ivy"], peers["jon"]
    ivys, jons = GoalFactory(mentee=ivy, title="Learn dbt"), GoalFactory(mentee=jon, title="Write a design doc")
    session = SessionFactory(mentorship=peers["pair"])
    session.goals.set([ivys, jons])

    own = client_for(ivy).post(_progress_url(session), {"ratings": [{"goal": ivys.pk, "rating": 5}]}, format="json")
    other = client_for(ivy).post(_progress_url(session), {"ratings": [{"goal": jons.pk, "rating": 4}]}, format="json")

    assert own.status_code == 400
    assert other.status_code == 201
    assert [(r["goal"]["id"], r["rater"]) for r in _read(jon, session)["progress"]] == [(jons.pk, ivy.pk)]


# --- The mentorship page ----------------------------------------------------------------------------------------


def _page(client, user, mentorship) -> str:
    client.force_login(user)
    response = client.get(f"/mentorships/{mentorship.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_offers_the_mentor_a_progress_form_per_goal_worked_on_and_shows_the_mentee_the_rating(
    client, mentorship, mentee, mentor
):
    touched = GoalFactory(mentee=mentee, title="Speak at a meetup")
    GoalFactory(mentee=mentee, title="Hire")  # not worked on in the session: never offered
    session = SessionFactory(mentorship=mentorship)
    session.goals.set([touched])

    as_mentor = _page(client, mentor, mentorship)
    assert "Progress on “Speak at a meetup”" in as_mentor and "Progress on “Hire”" not in as_mentor
    assert 'data-as-list="ratings"' in as_mentor and "Share my comment with Maya" in as_mentor
    assert "Progress on “" not in _page(client, mentee, mentorship)

    ProgressRating.objects.create(session=session, goal=touched, rater=mentor, rating=4, note="Much calmer")
    assert "Otto rated your progress on “Speak at a meetup”: " in _page(client, mentee, mentorship)
    assert "Progress on “Speak at a meetup”" not in _page(client, mentor, mentorship)  # rated: no form again


def test_the_circle_page_shows_an_unshared_comment_to_its_author_and_the_admin_only(client, circle):
    ana, ben, otto = circle["ana"], circle["ben"], circle["mentor"]
    session = SessionFactory(mentorship=circle["circle"], attendees=[otto, ana, ben])
    _rate(ana, session, 4, comment="Ana keeps this to herself")
    _rate(otto, session, 5, comment="Otto tells the circle", shared=True)
    admin = ProgramAdminFactory(username="pam", membership__program=circle["program"])

    as_ben, as_otto, as_admin = (_page(client, who, circle["circle"]) for who in (ben, otto, admin))

    assert "Ana keeps this to herself" not in as_ben and "Ana keeps this to herself" not in as_otto
    assert "Otto tells the circle" in as_ben
    assert "Ana keeps this to herself" in as_admin and "Not shared" in as_admin
    assert "Share my comment with the circle" in as_ben


def test_on_a_pairs_page_each_peer_is_offered_the_others_goals_only(client, peers):
    ivy, jon = peers["ivy"], peers["jon"]
    ivys, jons = GoalFactory(mentee=ivy, title="Learn dbt"), GoalFactory(mentee=jon, title="Write a design doc")
    SessionFactory(mentorship=peers["pair"]).goals.set([ivys, jons])

    as_ivy = _page(client, ivy, peers["pair"])

    assert "Progress on “Write a design doc”" in as_ivy and "Progress on “Learn dbt”" not in as_ivy
    assert "Share my comment with Jon" in as_ivy
