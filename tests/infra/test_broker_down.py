"""The broker (Redis) unreachable: starting a round answers 503 and keeps the round, which runs once it is back;
sign-ups and requests still succeed, and their emails are sent from the request instead of being lost."""

import re

import pytest
from django.core import mail

from config.celery_app import app as celery_app
from matching.models import MatchRound
from matching.runner import rounds_requeue
from mentorship.models import MentorshipRequest

URL = "/api/v1/match-rounds/"


def _reset_connections():
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


def _broker_at(url: str):
    """Tasks really go to the broker at `url` (no eager shortcut) for the test's time."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = url
    _reset_connections()
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
    _reset_connections()


@pytest.fixture
def broker_down():
    """A broker address where nothing listens."""
    yield from _broker_at("redis://127.0.0.1:1/0")


@pytest.fixture
def transport_missing():
    """A broker whose transport cannot be imported: what a production install without kombu's Redis extra met
    (`No module named 'packaging'`). MongoDB's transport needs pymongo, which is not installed."""
    yield from _broker_at("mongodb://127.0.0.1:1/tasks")


@pytest.mark.django_db(transaction=True)
def test_a_round_started_with_the_broker_down_is_a_503_and_is_not_lost(program, admin_client_api, broker_down):
    response = admin_client_api.post(URL, {"name": "While Redis is down"}, format="json")

    assert response.status_code == 503
    assert "cannot be reached" in response.json()["detail"]
    match_round = MatchRound.objects.get(name="While Redis is down")
    assert match_round.status == "queued"

    celery_app.conf.task_always_eager = True  # the broker is back (tasks run here, as in the embedded default)
    assert rounds_requeue(queued_seconds=0) == 1

    match_round.refresh_from_db()
    assert match_round.status == "proposed"
    assert match_round.proposals.count() == 3


@pytest.mark.django_db(transaction=True)
def test_sign_ups_and_requests_still_work_without_the_broker(anon, mentee_client, mentor, broker_down, caplog):
    body = {"username": "nia", "email": "nia@example.org", "password": "a-long-unusual-secret", "role": "mentee"}
    signed_up = anon.post("/api/v1/auth/register/", {**body, "full_name": "Nia"}, format="json")
    requested = mentee_client.post("/api/v1/requests/", {"mentor": mentor.pk}, format="json")

    assert signed_up.status_code == 201
    assert requested.status_code == 201
    assert MentorshipRequest.objects.filter(mentor=mentor, status="pending").exists()
    link_email, request_email = mail.outbox  # sent from the requests themselves, not lost
    assert link_email.to == ["nia@example.org"]
    token = re.search(r"/signup/confirm/([^/\s]+)/", link_email.body).group(1)
    assert anon.post("/api/v1/auth/register/confirm/", {"token": token}, format="json").status_code == 201
    assert request_email.to == [mentor.email]
    assert token not in caplog.text  # the link is not written to the log on the way


@pytest.mark.django_db(transaction=True)
def test_an_email_that_cannot_be_sent_either_does_not_fail_the_sign_up(anon, broker_down, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    body = {"username": "nia", "email": "nia@example.org", "password": "a-long-unusual-secret", "role": "mentee"}

    response = anon.post("/api/v1/auth/register/", {**body, "full_name": "Nia"}, format="json")

    assert response.status_code == 201
    assert "failed here too" in caplog.text


def test_beat_sends_waiting_rounds_again_every_minute():
    entry = celery_app.conf.beat_schedule["requeue-waiting-rounds"]
    assert (entry["task"], entry["schedule"]) == ("matching.tasks.requeue_waiting_rounds", 60)


@pytest.mark.django_db(transaction=True)
def test_a_task_that_cannot_be_sent_at_all_is_a_503_not_a_500_and_is_logged_as_an_error(
    program, admin_client_api, transport_missing, caplog
):
    response = admin_client_api.post(URL, {"name": "No transport"}, format="json")

    assert response.status_code == 503
    assert MatchRound.objects.get(name="No transport").status == "queued"  # saved; the sweep sends it later
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert errors and errors[0].exc_info[0] is ModuleNotFoundError


@pytest.mark.django_db(transaction=True)
def test_a_request_whose_email_cannot_be_sent_at_all_still_succeeds(mentee_client, mentor, transport_missing):
    response = mentee_client.post("/api/v1/requests/", {"mentor": mentor.pk}, format="json")

    assert response.status_code == 201
    assert [message.to for message in mail.outbox] == [[mentor.email]]  # sent from the request itself
