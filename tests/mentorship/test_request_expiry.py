import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from config.celery_app import app as celery_app
from mentorship import tasks
from programs.models import Program
from tests.factories import RequestFactory

pytestmark = pytest.mark.django_db


def test_overdue_pending_requests_expire_and_both_people_are_told(django_capture_on_commit_callbacks):
    overdue = RequestFactory(expires_at=timezone.now() - dt.timedelta(hours=1))
    fresh = RequestFactory()
    answered = RequestFactory(status="declined", expires_at=timezone.now() - dt.timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        expired = tasks.expire_requests.delay().get()

    assert expired == 1
    for request, status in ((overdue, "expired"), (fresh, "pending"), (answered, "declined")):
        request.refresh_from_db()
        assert request.status == status
    assert sorted(m.to[0] for m in mail.outbox) == sorted([overdue.mentee.email, overdue.mentor.email])
    assert all("expired" in m.subject for m in mail.outbox)


def test_running_expiry_again_changes_nothing(django_capture_on_commit_callbacks):
    RequestFactory(expires_at=timezone.now() - dt.timedelta(hours=1))
    tasks.expire_requests.delay()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_requests.delay().get() == 0
    assert mail.outbox == []


def test_requests_are_given_the_programs_lifetime(mentee_client, mentor):
    Program.objects.filter(slug="main").update(request_expiry_days=3)

    body = mentee_client.post("/api/v1/requests/", {"mentor": mentor.pk}, format="json").json()

    lifetime = dt.datetime.fromisoformat(body["expires_at"]) - dt.datetime.fromisoformat(body["created_at"])
    assert dt.timedelta(days=3) - dt.timedelta(seconds=5) < lifetime <= dt.timedelta(days=3)


def test_celery_beat_runs_the_expiry_every_15_minutes():
    schedule = celery_app.conf.beat_schedule
    entry = next(e for e in schedule.values() if e["task"] == "mentorship.tasks.expire_requests")
    assert entry["schedule"] == 15 * 60
    assert entry["task"] in celery_app.tasks
