"""The hourly nudge through real Redis and a real Celery worker: sent twice (beat twice, a retried task), the quiet
mentorship is nudged once, and each person in it gets one email."""

import datetime as dt

import pytest
from django.utils import timezone

from mentorship import tasks
from mentorship.models import Nudge
from notifications.models import Notification
from tests.factories import MentorshipFactory, ProgramFactory
from tests.infra.test_celery_worker import _wait_for, worker_env, worker_process, worker_queue  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_the_quiet_nudge_sent_twice_through_the_worker_goes_out_once(worker_process):  # noqa: F811
    process, mail_dir, log_path = worker_process
    program = ProgramFactory(slug="quiet", session_cadence_days=7)
    quiet = MentorshipFactory(program=program, started_at=timezone.now() - dt.timedelta(days=30))

    tasks.send_quiet_nudges.delay()
    tasks.send_quiet_nudges.delay()

    def both_ran():
        return log_path.read_text().count("mentorship.tasks.send_quiet_nudges") >= 4  # received and succeeded

    def emails() -> str:
        files = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
        text = "".join(f.read_text() for f in files)
        return text if text.count("Subject: How is") >= 2 else ""

    assert _wait_for(both_ran, seconds=60), f"the worker did not run both; its log:\n{log_path.read_text()}"
    sent = _wait_for(emails, seconds=60)
    assert process.poll() is None, f"the worker died:\n{log_path.read_text()}"
    assert Nudge.objects.filter(mentorship=quiet).count() == 1
    assert Notification.objects.filter(kind="nudge").count() == 2
    assert sent and sent.count("Subject: How is") == 2
    assert {f"To: {person.email}" for person in quiet.people()} <= set(sent.splitlines())
