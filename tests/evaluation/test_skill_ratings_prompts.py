import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evaluation.models import SkillRating
from evaluation.skill_tasks import skill_rating_prompts_send
from notifications.models import Notification
from tests.evaluation.skill_worlds import bring
from tests.factories import MentorshipFactory, SkillFactory
from tests.mentorship.together_worlds import FORMATS, complete, world_of

pytestmark = pytest.mark.django_db


def _told(person) -> list[str]:
    notices = Notification.objects.filter(recipient=person, kind="skills").order_by("created_at", "id")
    return list(notices.values_list("subject", flat=True))


def _started_world(kind, mentee=None, mentor=None):
    """A mentorship of `kind` that started yesterday, everyone in it but its mentor with a goal naming a skill."""
    mentorship, _ = world_of(kind, mentee=mentee, mentor=mentor)
    yesterday = timezone.now() - dt.timedelta(days=1)
    mentorship.started_at = yesterday
    mentorship.save(update_fields=["started_at"])
    mentorship.members.update(joined_at=yesterday)
    members = [m.user for m in mentorship.current_members()]
    for n, person in enumerate(members):
        bring(mentorship, person, f"Skill of {n}")
    return mentorship, members


@pytest.mark.parametrize("kind", FORMATS)
def test_a_new_mentorships_members_are_asked_once_to_rate_where_they_start(
    kind, mentee, mentor, django_capture_on_commit_callbacks
):
    mentorship, members = _started_world(kind, mentee, mentor)

    with django_capture_on_commit_callbacks(execute=True):
        first = skill_rating_prompts_send.delay().get()
        second = skill_rating_prompts_send.delay().get()

    assert first == len(members) and second == 0
    for person in members:
        assert _told(person) == ["Rate where you start"]
    if mentorship.mentor_id:
        assert _told(mentorship.mentor) == []
    link = reverse("mentorship-skills-page", args=[mentorship.pk])
    assert len(mail.outbox) == len(members)
    assert all(link in email.body for email in mail.outbox)
    assert "Skill of 0" in mail.outbox[0].body


def test_nobody_without_a_skill_to_rate_or_who_rated_already_is_asked(mentee, mentor):
    mentorship = MentorshipFactory(mentee=mentee, mentor=mentor, started_at=timezone.now())
    skill_rating_prompts_send()
    assert _told(mentee) == []  # no goal names a skill yet

    bring(mentorship, mentee, "Python")
    SkillRating.objects.create(
        mentorship=mentorship, subject=mentee, rater=mentee, skill=SkillFactory(name="Python"), stage="start", level=2
    )
    skill_rating_prompts_send()

    assert _told(mentee) == []


def test_a_start_older_than_the_window_is_not_prompted(mentee, mentor):
    mentorship = MentorshipFactory(mentee=mentee, mentor=mentor)  # 30 days ago
    bring(mentorship, mentee, "Python")

    assert skill_rating_prompts_send() == 0


@pytest.mark.parametrize("kind", FORMATS)
def test_at_completion_the_members_and_the_mentor_are_asked_to_rate_again(kind, mentee, mentor):
    mentorship, members = _started_world(kind, mentee, mentor)
    skill_rating_prompts_send()
    complete(mentorship)

    told = skill_rating_prompts_send()

    for person in members:
        assert _told(person) == ["Rate where you start", "Rate your skills again: see how far you came"]
    if mentorship.mentor_id:
        assert told == len(members) + 1
        assert _told(mentorship.mentor)[0].startswith("Rate where your mentee")
    else:
        assert told == len(members)
    assert skill_rating_prompts_send() == 0
