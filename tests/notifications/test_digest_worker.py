"""The digest with real workers through Redis: two beats fire at once, two workers run them side by side, and each
person still gets one digest."""

import re

import pytest

from notifications.models import Notification
from notifications.tasks import send_digests
from tests.factories import MenteeFactory
from tests.infra.test_celery_worker import (
    _wait_for,
    start_worker,
    stop_worker,
    worker_env,
    worker_process,
    worker_queue,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
__all__ = ["worker_env", "worker_process", "worker_queue"]  # fixtures, used by name

FANNED_OUT = re.compile(r"Task notifications\.tasks\.send_digests\[[^\]]+\] succeeded in [^:]+: (\d+)")
SENT = re.compile(r"Task notifications\.tasks\.send_digest\[[^\]]+\] succeeded")


def test_two_beats_on_two_workers_send_each_person_one_digest(worker_process, worker_queue, tmp_path):
    process, mail_dir, log_path = worker_process
    second, second_log = start_worker(worker_queue, tmp_path, "second", {})
    try:
        people = [MenteeFactory(username=f"digest{n}", email=f"digest{n}@example.org") for n in range(2)]
        for person in people:
            for subject in ("First news", "Second news"):
                Notification.objects.create(
                    recipient=person, kind="request", subject=subject, body=subject, link="/requests/", delivery="daily"
                )

        send_digests.delay("daily")
        send_digests.delay("daily")

        def logs() -> str:
            return log_path.read_text() + second_log.read_text()

        def all_done():
            fanned = [int(n) for n in FANNED_OUT.findall(logs())]
            return len(fanned) == 2 and len(SENT.findall(logs())) == sum(fanned)

        assert _wait_for(all_done, seconds=90), f"the workers did not finish; their logs:\n{logs()}"
        assert process.poll() is None and second.poll() is None
        sent = "".join(f.read_text() for f in mail_dir.glob("*.log"))
        assert sorted(re.findall(r"^To: (\S+)$", sent, re.M)) == ["digest0@example.org", "digest1@example.org"]
        assert sent.count("Subject: Your daily digest: 2 notices") == 2
        assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    finally:
        stop_worker(second)
