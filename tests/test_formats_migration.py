"""The migration that brought circles and peer pairs (mentorship 0005), run on a database made by the code before
it: every mentorship becomes a one-on-one whose mentee is its one member (active, or ended with it), its sessions
were attended by both people, its feedback is the mentee's; and no row is lost."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("mentorship", "0004_requests_and_mentorships_in_a_program")
PAST = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)


def _migrate(target) -> object:
    """Migrate to `target`; answer the models as the database now has them (every app at what is applied)."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.fixture
def before_formats(postgres):
    executor = MigrationExecutor(connection)
    # Our app back to 0004; the apps that depend on it go back as far as they must, the others stay.
    apps = _migrate([BEFORE])
    yield apps
    _migrate(executor.loader.graph.leaf_nodes())


def test_every_mentorship_becomes_a_one_on_one_with_its_mentee_as_member(before_formats):
    apps = before_formats
    User = apps.get_model("accounts", "User")
    Program = apps.get_model("programs", "Program")
    Request = apps.get_model("mentorship", "MentorshipRequest")
    Mentorship = apps.get_model("mentorship", "Mentorship")
    Session = apps.get_model("mentorship", "Session")
    Feedback = apps.get_model("mentorship", "Feedback")
    # programs.0002 made `main`; a transactional test before this one may have flushed it.
    main = Program.objects.get_or_create(slug="main", defaults={"name": "Mentoring program"})[0]
    otto, maya, ben = (
        User.objects.create(username=name, email=f"{name}@example.org") for name in ("otto", "maya", "ben")
    )
    accepted = Request.objects.create(
        program=main, mentee=maya, mentor=otto, status="accepted", expires_at=PAST + dt.timedelta(days=14)
    )
    active = Mentorship.objects.create(program=main, mentee=maya, mentor=otto, request=accepted, started_at=PAST)
    done = Mentorship.objects.create(
        program=main,
        mentee=ben,
        mentor=otto,
        started_at=PAST,
        status="completed",
        ended_at=PAST + dt.timedelta(days=30),
        ended_by=ben,
    )
    rated = Session.objects.create(mentorship=active, date=PAST.date(), duration_minutes=45, notes="First talk.")
    Feedback.objects.create(session=rated, rating=4, comment="Useful.")
    Session.objects.create(mentorship=done, date=PAST.date(), duration_minutes=30)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from mentorship.models import Feedback, Mentorship, MentorshipMember, Session

    assert (Mentorship.objects.count(), Session.objects.count(), Feedback.objects.count()) == (2, 2, 1)
    now = Mentorship.objects.get(pk=active.pk)
    assert (now.format, now.mentor.username, now.mentee.username, now.request_id) == (
        "one_on_one",
        "otto",
        "maya",
        accepted.pk,
    )
    member = MentorshipMember.objects.get(mentorship=now)
    assert (member.status, member.role, member.program.slug, member.mentor.username) == (
        "active",
        "mentee",
        "main",
        "otto",
    )
    assert (member.joined_at, member.left_at, member.request_id) == (PAST, None, accepted.pk)
    ended = MentorshipMember.objects.get(mentorship_id=done.pk)
    assert (ended.user.username, ended.status, ended.left_at) == ("ben", "ended", PAST + dt.timedelta(days=30))
    for session in Session.objects.all():
        assert {u.username for u in session.attendees.all()} == {"otto", session.mentorship.mentee.username}
    feedback = Feedback.objects.get()
    assert (feedback.author.username, feedback.rating, feedback.comment) == ("maya", 4, "Useful.")
