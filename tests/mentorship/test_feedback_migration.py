"""The migration that made comments confidential (mentorship 0009) keeps the comments that existed visible to
whoever read them before: they are marked shared; only comments written after it start private."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("mentorship", "0006_member_row_per_stay")
AFTER = ("mentorship", "0009_two_way_feedback")
PAST = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.fixture
def before_sharing(postgres):
    executor = MigrationExecutor(connection)
    yield _migrate([BEFORE])
    _migrate(executor.loader.graph.leaf_nodes())


def test_comments_written_before_stay_visible_and_new_ones_start_private(before_sharing):
    apps = before_sharing
    User = apps.get_model("accounts", "User")
    Program = apps.get_model("programs", "Program")
    Mentorship = apps.get_model("mentorship", "Mentorship")
    Session = apps.get_model("mentorship", "Session")
    Feedback = apps.get_model("mentorship", "Feedback")
    main = Program.objects.get_or_create(slug="main", defaults={"name": "Mentoring program"})[0]
    otto, maya = (User.objects.create(username=name, email=f"{name}@example.org") for name in ("otto", "maya"))
    mentorship = Mentorship.objects.create(program=main, mentor=otto, started_at=PAST)
    session = Session.objects.create(mentorship=mentorship, date=PAST.date(), duration_minutes=45)
    Feedback.objects.create(session=session, author=maya, rating=5, comment="Read by Otto since March.")

    apps = _migrate([AFTER])

    Feedback = apps.get_model("mentorship", "Feedback")
    assert list(Feedback.objects.values_list("comment", "shared")) == [("Read by Otto since March.", True)]
    later = Feedback.objects.create(session_id=session.pk, author_id=otto.pk, rating=4, comment="Mine alone.")
    assert Feedback.objects.get(pk=later.pk).shared is False
