"""A mentee cannot flood a mentor with request emails: asking again after a withdrawal waits
REQUEST_COOLDOWN_HOURS, and a mentee sends at most THROTTLE_REQUESTS requests (20 a day)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mentorship.models import MentorshipRequest
from programs.models import Program
from tests.factories import MentorFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"


@pytest.fixture
def send(mentee_client, django_capture_on_commit_callbacks):
    def send(mentor):
        with django_capture_on_commit_callbacks(execute=True):
            return mentee_client.post(URL, {"mentor": mentor.pk}, format="json")

    return send


def _withdraw(client, request_id):
    return client.post(f"{URL}{request_id}/withdraw/", format="json")


def test_asking_the_same_mentor_again_right_after_withdrawing_is_409_with_when(send, mentee_client, mentor):
    first = send(mentor).json()
    assert _withdraw(mentee_client, first["id"]).status_code == 200

    again = send(mentor)

    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "request_cooldown"
    withdrawn_at = MentorshipRequest.objects.get(pk=first["id"]).responded_at
    assert dt.datetime.fromisoformat(body["retry_after"]) == withdrawn_at + dt.timedelta(hours=24)
    assert len(mail.outbox) == 1  # the mentor heard of the first request only


def test_another_mentor_can_be_asked_at_once_after_a_withdrawal(send, mentee_client, mentor):
    _withdraw(mentee_client, send(mentor).json()["id"])

    assert send(MentorFactory()).status_code == 201


def test_the_same_mentor_can_be_asked_again_once_the_cool_down_is_over(send, mentee_client, mentor):
    request_id = send(mentor).json()["id"]
    _withdraw(mentee_client, request_id)
    MentorshipRequest.objects.filter(pk=request_id).update(
        responded_at=timezone.now() - dt.timedelta(hours=24, seconds=1)
    )

    assert send(mentor).status_code == 201


def test_a_request_closed_because_the_mentee_found_a_mentor_starts_no_cool_down(send, mentee, mentor):
    MentorshipRequest.objects.create(
        program=Program.objects.default(),
        mentee=mentee,
        mentor=mentor,
        status=MentorshipRequest.Status.WITHDRAWN,
        close_reason=MentorshipRequest.CloseReason.MENTEE_MATCHED,
        responded_at=timezone.now(),
        expires_at=timezone.now(),
    )

    assert send(mentor).status_code == 201


def test_the_mentor_page_says_when_the_mentee_may_ask_again(send, mentee_client, mentee, mentor, client):
    _withdraw(mentee_client, send(mentor).json()["id"])
    client.force_login(mentee)

    page = client.get(f"/mentors/{mentor.pk}/").content.decode()

    assert "you can ask again after" in page


def test_a_mentee_sends_at_most_twenty_requests_a_day(send, mentee_client):
    mentors = [MentorFactory() for _ in range(21)]
    answers = []
    for mentor in mentors:
        response = send(mentor)
        answers.append(response.status_code)
        if response.status_code == 201:
            _withdraw(mentee_client, response.json()["id"])  # room under the mentee's limit for the next

    assert answers == [201] * 20 + [429]
    assert MentorshipRequest.objects.count() == 20
    assert mentee_client.get(URL).status_code == 200  # reading and answering are not limited
