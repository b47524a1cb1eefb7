"""A real Celery worker process consumes a real task through Redis, against the test's own database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import SignUp
from config.celery_app import app as celery_app
from matching.models import MatchRound
from matching.runner import rounds_requeue
from tests.accounts.signup import CONFIRM_LINK
from tests.conftest import client_for
from tests.factories import MenteeFactory, MentorFactory, SkillFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]


def _database_url_of_this_test() -> str:
    # The worker is another process: point it at pytest-django's test database, not the configured one,
    # so that it sees the rows this test commits (and only those).
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def worker_queue(redis_url):
    """A queue of this test's own, so that the worker takes only the tasks this test sends."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved


@pytest.fixture
def worker_env():
    """Extra environment for the worker process; a test module or test may override this fixture."""
    return {}


def start_worker(queue: str, directory: Path, name: str, extra_env: dict) -> tuple[subprocess.Popen, Path]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": _database_url_of_this_test(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(directory / "mail"),
        "CONN_MAX_AGE": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # what the worker itself sends (a chord's tasks) stays here
        **extra_env,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        "-Q", queue, "-n", f"{name}-{queue}@%h",
    ]  # fmt: skip
    log_path = directory / f"{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, log_path


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def worker_process(worker_queue, postgres, transactional_db, tmp_path, worker_env):
    process, log_path = start_worker(worker_queue, tmp_path, "worker", worker_env)
    yield process, tmp_path / "mail", log_path
    stop_worker(process)


def _wait_for(predicate, *, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    return None


def test_worker_process_sends_the_confirmation_email_of_a_sign_up(worker_process, anon):
    process, mail_dir, log_path = worker_process

    response = anon.post(
        "/api/v1/auth/register/",
        {
            "username": "worker.test",
            "email": "worker.test@example.org",
            "password": "a-long-unusual-secret",
            "role": "mentee",
            "full_name": "Wendy Worker",
        },
        format="json",
    )
    assert response.status_code == 201
    assert SignUp.objects.filter(username="worker.test").exists()

    def sent_mail():
        files = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
        return "".join(f.read_text() for f in files) if files else None

    sent = _wait_for(sent_mail, seconds=60)

    assert process.poll() is None, f"the worker died:\n{log_path.read_text()}"
    assert sent, f"no email from the worker within 60 s; its log:\n{log_path.read_text()}"
    assert "To: worker.test@example.org" in sent
    assert "Subject: Finish signing up to the mentorship program" in sent
    assert "Hello Wendy Worker" in sent
    # The link the worker wrote opens this sign-up: the token went through Redis, only its digest is stored.
    token = CONFIRM_LINK.search(sent).group(1)
    assert SignUp.objects.for_token(token).get().username == "worker.test"
    assert "succeeded" in log_path.read_text()


def _start_round_and_wait(admin_user, process, log_path) -> MatchRound:
    for i in range(6):
        MenteeFactory(username=f"waiting{i}").profile.wanted_skills.set([SkillFactory(name="Python")])
    for i in range(2):
        MentorFactory(username=f"offering{i}").profile.skills.set([SkillFactory(name="Python")])

    response = client_for(admin_user).post("/api/v1/match-rounds/", {"name": "Through Redis"}, format="json")
    assert response.status_code == 202
    round_id = response.json()["id"]

    def finished():
        status = MatchRound.objects.get(pk=round_id).status
        return status if status not in ("queued", "running") else None

    status = _wait_for(finished, seconds=90)

    assert process.poll() is None, f"the worker died:\n{log_path.read_text()}"
    assert status == "proposed", f"round ended {status}; worker log:\n{log_path.read_text()}"
    return MatchRound.objects.get(pk=round_id)


def test_worker_process_runs_a_match_round_to_its_proposals(worker_process, admin_user):
    process, _, log_path = worker_process

    match_round = _start_round_and_wait(admin_user, process, log_path)

    assert match_round.progress == 1.0
    assert match_round.proposals.count() == 4  # two mentors with two slots each
    assert "matching.tasks.run_match_round" in log_path.read_text()


@pytest.mark.parametrize("worker_env", [{"MATCH_SCALE_OUT_MENTEES": "2", "MATCH_SLICE_MENTEES": "2"}])
def test_worker_process_splits_a_large_round_into_slice_tasks(worker_process, admin_user):
    process, _, log_path = worker_process

    match_round = _start_round_and_wait(admin_user, process, log_path)

    assert match_round.proposals.count() == 4
    log = log_path.read_text()
    assert log.count("matching.tasks.search_match_round_slice") >= 3  # six mentees, two per slice
    assert "matching.tasks.finish_match_round" in log


def test_a_worker_killed_mid_round_leaves_nothing_half_written_and_the_round_completes_once(
    worker_queue, postgres, transactional_db, tmp_path, admin_user
):
    from bench.match_round import generate

    generate(3000, 1000)  # large enough for the round to be caught running
    first, first_log = start_worker(worker_queue, tmp_path, "first", {})
    try:
        response = client_for(admin_user).post("/api/v1/match-rounds/", {"name": "Killed"}, format="json")
        round_id = response.json()["id"]
        running = _wait_for(lambda: MatchRound.objects.get(pk=round_id).status == "running", seconds=60)
        assert running, f"the round never ran; worker log:\n{first_log.read_text()}"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop_worker(first)

    killed = MatchRound.objects.get(pk=round_id)
    assert killed.status == "running"
    assert not killed.proposals.exists()  # nothing half-written

    # The scheduler's sweep finds the round without a sign of life and sends it again, to another worker.
    assert rounds_requeue(running_seconds=0) == 1
    second, second_log = start_worker(worker_queue, tmp_path, "second", {})
    try:
        finished = _wait_for(lambda: MatchRound.objects.get(pk=round_id).status in ("proposed", "failed"), seconds=120)
    finally:
        stop_worker(second)

    assert finished, f"the round did not finish; worker log:\n{second_log.read_text()}"
    done = MatchRound.objects.get(pk=round_id)
    assert done.status == "proposed", done.error
    assert done.proposals.count() == done.stats["matched"] > 0
    pairs = list(done.proposals.values_list("mentee_id", flat=True))
    assert len(pairs) == len(set(pairs))  # each mentee once: one run saved, once


def test_worker_process_tells_each_mentor_once_and_each_mentee_once_when_a_round_is_published(
    worker_process, admin_user
):
    process, mail_dir, log_path = worker_process
    match_round = _start_round_and_wait(admin_user, process, log_path)

    response = client_for(admin_user).post(f"/api/v1/match-rounds/{match_round.pk}/publish/")
    assert response.status_code == 200, response.json()

    def subjects():
        files = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
        found = [line for f in files for line in f.read_text().splitlines() if line.startswith("Subject: ")]
        return found if len(found) >= 6 else None

    sent = _wait_for(subjects, seconds=60)

    assert process.poll() is None, f"the worker died:\n{log_path.read_text()}"
    assert sent, f"not every email within 60 s; the worker's log:\n{log_path.read_text()}"
    assert sum("proposes 2 mentees to you" in s for s in sent) == 2  # two mentors, two proposals each
    assert sum("as your mentor" in s for s in sent) == 4
    time.sleep(1)
    assert len(subjects()) == 6  # and nothing more: no email per request besides
    log = log_path.read_text()
    assert "matching.tasks.announce_published_round" in log
    assert log.count("matching.tasks.send_round_digest") >= 2


def test_two_workers_given_the_reminder_task_twice_at_once_remind_each_attendee_once(
    worker_queue, postgres, transactional_db, tmp_path, mentorship, mentee, mentor
):
    import datetime as dt

    from django.utils import timezone

    from mentorship import meetings
    from mentorship import tasks as mentorship_tasks
    from notifications.models import Notification

    meeting = meetings.meeting_create(
        mentorship=mentorship,
        organiser=mentor,
        starts_at=timezone.now() + dt.timedelta(minutes=30),
        duration_minutes=30,
    )
    workers = [start_worker(worker_queue, tmp_path, name, {}) for name in ("first", "second")]
    try:
        mentorship_tasks.send_meeting_reminders.delay()
        mentorship_tasks.send_meeting_reminders.delay()

        def reminders_mailed():
            files = list((tmp_path / "mail").glob("*.log")) if (tmp_path / "mail").exists() else []
            found = [line for f in files for line in f.read_text().splitlines() if line.startswith("Subject: Reminder")]
            return found if len(found) >= 2 else None

        def both_runs_done():
            logs = "\n".join(log.read_text() for _, log in workers)
            done = [line for line in logs.splitlines() if "send_meeting_reminders" in line and "succeeded" in line]
            return len(done) >= 2

        finished = _wait_for(both_runs_done, seconds=60)
        logs = "\n".join(log.read_text() for _, log in workers)
        assert finished, f"the two runs did not both end within 60 s; the workers' logs:\n{logs}"
        assert _wait_for(reminders_mailed, seconds=60), f"no reminders mailed; the workers' logs:\n{logs}"
        assert all(process.poll() is None for process, _ in workers), logs
    finally:
        for process, _ in workers:
            stop_worker(process)

    assert len(reminders_mailed()) == 2
    reminders = Notification.objects.filter(once_key=f"meeting-{meeting.pk}-0-1h")
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted([mentee.pk, mentor.pk])
    assert all(n.emailed_at is not None for n in reminders)
