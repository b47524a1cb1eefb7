import pytest
from django.core.management import call_command
from django.db.models import F

from accounts.demo import DEMO_MENTEE
from accounts.models import User
from evaluation.models import SkillRating
from evaluation.period import Period
from evaluation.skills import skill_gains, skill_ratings_of
from mentorship.models import Mentorship
from notifications.models import Notification
from programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_demo_shows_skills_gained_and_leaves_the_demo_mentee_a_start_to_rate():
    call_command("seed_demo", mentors=12, mentees=36)

    completed_in = Program.objects.filter(mentorships__status="completed").distinct()
    assert completed_in.count() >= 2
    for program in completed_in:
        gains = skill_gains(program, Period())
        assert gains.overall.people > 0, program.slug
        assert 0.3 < gains.overall.gain < 2.5, program.slug  # believable: mostly a level or so up
    assert SkillRating.objects.exclude(rater=F("subject")).exists()  # mentors rated too

    mentee = User.objects.get(username=DEMO_MENTEE)
    running = Mentorship.objects.active().filter(members__user=mentee, members__status="active").distinct()
    assert running.exists()
    assert not SkillRating.objects.filter(subject=mentee, mentorship__in=running).exists()
    to_rate = [
        subject
        for mentorship in running
        for subject in skill_ratings_of(mentorship=mentorship, viewer=mentee)
        if subject.can_rate == ["start"] and subject.skills
    ]
    assert to_rate
    assert Notification.objects.filter(recipient=mentee, kind="skills", subject="Rate where you start").exists()
