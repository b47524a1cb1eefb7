import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Industry, MenteeProfile, MentorProfile, Skill, User
from mentorship.models import Feedback, Goal, Mentorship, MentorshipRequest, Milestone, Session
from mentorship.selectors import mentor_directory


@pytest.mark.django_db
def test_seed_demo_builds_a_believable_program_and_prints_the_logins(capsys):
    call_command("seed_demo")

    out = capsys.readouterr()
    assert MentorProfile.objects.count() >= 50
    assert MenteeProfile.objects.count() >= 150
    assert Industry.objects.count() >= 10
    assert not MentorProfile.objects.filter(skills=None).exists()
    assert not MenteeProfile.objects.filter(industry=None).exists()
    for username in ("admin", "mentor", "mentee"):
        assert username in out.out
    assert DEMO_PASSWORD in out.out
    assert "100%" in out.err  # the progress bar ran to the end


@pytest.mark.django_db
def test_demo_logins_work_with_the_printed_password():
    call_command("seed_demo")

    assert User.objects.get(username="admin").is_program_admin
    for username in ("admin", "mentor", "mentee"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_twice_adds_nothing_the_second_time(capsys):
    call_command("seed_demo")
    count = User.objects.count()

    call_command("seed_demo")

    assert User.objects.count() == count
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_usernames_and_emails_are_unique_whatever_the_case():
    call_command("seed_demo")

    usernames = [u.lower() for u in User.objects.values_list("username", flat=True)]
    assert len(usernames) == len(set(usernames))


@pytest.mark.django_db
def test_the_demo_history_keeps_every_rule_of_the_program():
    call_command("seed_demo")

    statuses = set(MentorshipRequest.objects.values_list("status", flat=True))
    assert statuses == {"pending", "accepted", "declined", "withdrawn", "expired"}
    assert set(Mentorship.objects.values_list("status", flat=True)) == {"active", "completed"}
    active = dict(Mentorship.objects.active().values("mentor").annotate(n=Count("id")).values_list("mentor", "n"))
    for mentor in mentor_directory():
        assert active.get(mentor.user_id, 0) <= mentor.capacity, mentor
    assert not (Mentorship.objects.active().values("mentee").annotate(n=Count("id")).filter(n__gt=1).exists()), (
        "a mentee with two mentors"
    )
    for session in Session.objects.select_related("mentorship"):
        assert session.mentorship.started_at.date() <= session.date <= timezone.localdate()
        if session.mentorship.ended_at:
            assert session.date <= session.mentorship.ended_at.date()
    assert Feedback.objects.exists()
    assert Milestone.objects.filter(done=True).exists() and Milestone.objects.filter(done=False).exists()
    assert MentorshipRequest.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=30)).exists()


@pytest.mark.django_db
def test_the_demo_logins_have_something_to_do():
    call_command("seed_demo")

    mentor = mentor_directory().get(user__username="mentor")
    assert mentor.open_slots >= 2
    assert MentorshipRequest.objects.pending().filter(mentor=mentor.user).count() >= 2
    assert Mentorship.objects.active().filter(mentor=mentor.user).exists()
    assert not Mentorship.objects.active().filter(mentee__username="mentee").exists()
    assert Goal.objects.filter(mentee__username="mentee").exists()


@pytest.mark.django_db
def test_the_demo_has_a_round_waiting_for_review():
    from matching.models import MatchRound

    call_command("seed_demo")

    demo_round = MatchRound.objects.get()
    assert demo_round.status == "proposed"
    assert demo_round.proposals.count() > 10


@pytest.mark.django_db
def test_seed_demo_refuses_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False  # what config.settings.production says

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")

    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_seed_demo_loads_under_production_settings_when_forced(settings):
    settings.DEMO_DATA_ALLOWED = False

    call_command("seed_demo", "--force", "--mentors", "3", "--mentees", "6")

    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_the_demo_taxonomy_is_approved_but_for_a_few_suggestions_of_the_demo_logins():
    call_command("seed_demo")

    suggestions = Skill.objects.suggestions().order_by("name")
    assert [(s.name, s.suggested_by.username) for s in suggestions] == [
        ("Platform engineering", "mentor"),
        ("Prompt engineering", "mentee"),
        ("Storytelling with data", "mentee"),
    ]
    assert Skill.objects.approved().count() >= 50
    assert User.objects.get(username="mentor").mentor_profile.skills.filter(name="Platform engineering").exists()
    # Nobody else sees them: the directory lists approved skills only.
    shown = {skill.name for mentor in mentor_directory() for skill in mentor.skills.all()}
    assert shown.isdisjoint({s.name for s in suggestions})
