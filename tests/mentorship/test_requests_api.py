import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mentorship.models import Mentorship, MentorshipRequest
from programs.models import Membership
from tests.conftest import client_for
from tests.factories import GoalFactory, MenteeFactory, MentorshipFactory, RequestFactory

URL = "/api/v1/requests/"


@pytest.fixture
def send(mentee_client, django_capture_on_commit_callbacks):
    def send(mentor, **body):
        with django_capture_on_commit_callbacks(execute=True):
            return mentee_client.post(URL, {"mentor": mentor.pk, **body}, format="json")

    return send


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    def act(user, request_id, action, body=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(user).post(f"{URL}{request_id}/{action}/", body or {}, format="json")

    return act


# --- Sending ----------------------------------------------------------------------------------------------


def test_mentee_sends_a_request_with_goals_and_the_mentor_is_emailed(send, mentee, mentor):
    goal = GoalFactory(mentee=mentee, title="Lead my first team")

    response = send(mentor, message="I admire your work.", goals=[goal.pk])

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["origin"] == "self"
    assert body["mentor"]["id"] == mentor.pk
    assert body["goals"] == [{"id": goal.pk, "title": "Lead my first team"}]
    assert dt.datetime.fromisoformat(body["expires_at"]) > timezone.now() + dt.timedelta(days=13)
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert "Lead my first team" in mail.outbox[0].body
    assert "I admire your work." in mail.outbox[0].body


def test_a_second_pending_request_to_the_same_mentor_is_409(send, mentor):
    send(mentor)

    response = send(mentor)

    assert response.status_code == 409
    assert response.json()["code"] == "request_pending"
    assert MentorshipRequest.objects.count() == 1


def test_a_request_to_ones_current_mentor_is_409(send, mentorship, mentor):
    assert send(mentor).status_code == 409


def test_a_mentee_who_already_has_a_mentor_cannot_ask_another(send, mentorship, outsider_mentor):
    response = send(outsider_mentor)

    assert response.status_code == 409
    assert response.json()["code"] == "mentee_full"


def test_a_mentor_who_is_not_accepting_gets_no_request(send, mentor):
    Membership.objects.filter(user=mentor, role="mentor").update(accepting_requests=False)

    response = send(mentor)

    assert response.status_code == 409
    assert response.json()["code"] == "not_accepting"


def test_a_full_mentor_gets_no_request(send, mentor):
    for _ in range(2):
        MentorshipFactory(mentor=mentor)

    response = send(mentor)

    assert response.status_code == 409
    assert "no open slot" in response.json()["detail"]


def test_an_unknown_mentor_is_a_400_on_the_field(send, mentee):
    response = send(MenteeFactory())  # a mentee is not a mentor

    assert response.status_code == 400
    assert list(response.json()) == ["mentor"]


def test_goals_must_be_ones_own(send, mentor):
    someone_elses = GoalFactory()

    response = send(mentor, goals=[someone_elses.pk])

    assert response.status_code == 400
    assert response.json() == {"goals": [f"You have no goal with id {someone_elses.pk}."]}


@pytest.mark.parametrize(
    "body",
    [{}, {"mentor": "otto"}, {"mentor": -1}, {"mentor": 1, "message": "x" * 2001}, {"mentor": 1, "goals": "1"}],
)
def test_malformed_requests_are_400(mentee_client, body):
    assert mentee_client.post(URL, body, format="json").status_code == 400


def test_mentors_and_admins_cannot_send_requests(mentor_client, admin_client_api, outsider_mentor):
    for client in (mentor_client, admin_client_api):
        response = client.post(URL, {"mentor": outsider_mentor.pk}, format="json")
        assert response.status_code == 403


# --- Seeing -----------------------------------------------------------------------------------------------


def test_each_side_sees_its_own_requests(mentee, mentor, mentee_client, mentor_client, outsider_client):
    mine = RequestFactory(mentee=mentee, mentor=mentor)
    RequestFactory()  # between two other people

    assert [r["id"] for r in mentee_client.get(URL).json()["results"]] == [mine.pk]
    assert [r["id"] for r in mentor_client.get(URL).json()["results"]] == [mine.pk]
    assert outsider_client.get(URL).json()["count"] == 0
    assert outsider_client.get(f"{URL}{mine.pk}/").status_code == 404


def test_requests_filter_by_status(mentee, mentor, mentee_client):
    RequestFactory(mentee=mentee, mentor=mentor)
    RequestFactory(mentee=mentee, status="declined")

    assert mentee_client.get(URL, {"status": "declined"}).json()["count"] == 1
    assert mentee_client.get(URL, {"status": "lost"}).status_code == 400


# --- Accepting --------------------------------------------------------------------------------------------


def test_accepting_starts_the_mentorship_and_tells_the_mentee(act, mentee, mentor):
    request = RequestFactory(mentee=mentee, mentor=mentor)

    response = act(mentor, request.pk, "accept")

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    mentorship = Mentorship.objects.get(pk=response.json()["mentorship"])
    assert (mentorship.mentee, mentorship.mentor, mentorship.status) == (mentee, mentor, "active")
    assert [m.to for m in mail.outbox] == [[mentee.email]]
    assert "accepted" in mail.outbox[0].subject


def test_accepting_closes_the_mentees_other_requests_and_tells_those_mentors(act, mentee, mentor):
    chosen = RequestFactory(mentee=mentee, mentor=mentor)
    others = [RequestFactory(mentee=mentee) for _ in range(2)]

    act(mentor, chosen.pk, "accept")

    for other in others:
        other.refresh_from_db()
        assert (other.status, other.close_reason) == ("withdrawn", "mentee_matched")
    told = sorted(m.to[0] for m in mail.outbox if "found a mentor" in m.subject)
    assert told == sorted(o.mentor.email for o in others)


def test_a_mentor_at_capacity_cannot_accept(act, mentor):
    for _ in range(2):
        MentorshipFactory(mentor=mentor)
    request = RequestFactory(mentor=mentor)

    response = act(mentor, request.pk, "accept")

    assert response.status_code == 409
    assert "at capacity" in response.json()["detail"]
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_pending_match_round_offer_holds_a_slot(act, mentor):
    Membership.objects.filter(user=mentor, role="mentor").update(capacity=1)
    RequestFactory(mentor=mentor, origin="match_round")
    request = RequestFactory(mentor=mentor)

    assert act(mentor, request.pk, "accept").status_code == 409


def test_accepting_a_withdrawn_request_is_409(act, mentor):
    request = RequestFactory(mentor=mentor, status="withdrawn")

    response = act(mentor, request.pk, "accept")

    assert response.status_code == 409
    assert "withdrawn" in response.json()["detail"]
    assert not Mentorship.objects.exists()


def test_accepting_an_overdue_request_is_409_even_before_the_expiry_task_runs(act, mentor):
    request = RequestFactory(mentor=mentor, expires_at=timezone.now() - dt.timedelta(minutes=1))

    assert act(mentor, request.pk, "accept").status_code == 409


def test_accepting_for_a_mentee_who_found_a_mentor_meanwhile_is_409(act, mentor):
    request = RequestFactory(mentor=mentor)
    MentorshipFactory(mentee=request.mentee)

    response = act(mentor, request.pk, "accept")

    assert response.status_code == 409
    assert "mentee already has" in response.json()["detail"]


def test_only_the_receiving_mentor_accepts(act, mentee, mentor, outsider_mentor, admin_user):
    request = RequestFactory(mentee=mentee, mentor=mentor)

    assert act(outsider_mentor, request.pk, "accept").status_code == 404
    assert act(mentee, request.pk, "accept").status_code == 403
    assert act(admin_user, request.pk, "accept").status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"


# --- Declining and withdrawing ----------------------------------------------------------------------------


def test_declining_with_a_reason_tells_the_mentee_why(act, mentee, mentor):
    request = RequestFactory(mentee=mentee, mentor=mentor)

    response = act(mentor, request.pk, "decline", {"reason": "not_a_fit", "note": "Try Olga, she knows retail."})

    assert response.status_code == 200
    assert response.json()["decline_reason"] == "not_a_fit"
    assert mail.outbox[0].to == [mentee.email]
    assert "not a good fit" in mail.outbox[0].body
    assert "Try Olga" in mail.outbox[0].body


def test_declining_needs_no_reason_but_rejects_an_unknown_one(act, mentor):
    first, second = RequestFactory(mentor=mentor), RequestFactory(mentor=mentor)

    assert act(mentor, first.pk, "decline").status_code == 200
    response = act(mentor, second.pk, "decline", {"reason": "busy"})
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


def test_the_mentee_withdraws_a_pending_request(act, mentee, mentor):
    request = RequestFactory(mentee=mentee, mentor=mentor)

    response = act(mentee, request.pk, "withdraw")

    assert response.json()["status"] == "withdrawn"
    assert act(mentee, request.pk, "withdraw").status_code == 409
    assert act(mentor, request.pk, "withdraw").status_code == 403


def test_after_a_decline_the_mentee_may_ask_again(act, send, mentee, mentor):
    request = RequestFactory(mentee=mentee, mentor=mentor)
    act(mentor, request.pk, "decline")

    assert send(mentor).status_code == 201


def test_a_mentor_can_take_several_mentees_up_to_capacity(act, mentor):
    requests = [RequestFactory(mentor=mentor) for _ in range(3)]

    statuses = [act(mentor, r.pk, "accept").status_code for r in requests]

    assert statuses == [200, 200, 409]
