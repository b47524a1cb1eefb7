"""The demo's skill ratings: every completed mentorship rated at its start and completion (by its members, and by
most mentors), so that the report's "Skills gained" has something to say in every program; most running ones rated
at their start. The demo mentee's running mentorships are left unrated, with the notice asking them to rate where
they start in their inbox, so that the skills page shows its form. Levels are drawn from a seeded generator: most
people start as beginners or novices and gain a level or two; a few stay where they were, fewer slip back."""

import datetime as dt
import random

from accounts.models import Skill, User
from evaluation.models import LEVEL_HIGH, LEVEL_LOW, SkillRating
from evaluation.skill_prompts import prompt_notice
from evaluation.skills import skills_to_rate
from mentorship.models import Goal, Mentorship
from notifications.demo import demo_notices_write

Stage = SkillRating.Stage
STARTS, START_WEIGHTS = (1, 2, 3, 4), (3, 5, 3, 1)
GAINS, GAIN_WEIGHTS = (-1, 0, 1, 2, 3), (1, 3, 6, 4, 1)
ACTIVE_RATED = 0.6  # the share of running mentorships whose members rated their start
MENTOR_RATES = 0.7  # the share of mentors who rate their mentees too


def _level(value: int) -> int:
    return max(LEVEL_LOW, min(LEVEL_HIGH, value))


def _rows(rng: random.Random, mentorship: Mentorship, subject: User, skills, *, completed: bool) -> list:
    rows = []
    mentor_rates = mentorship.mentor_id is not None and rng.random() < MENTOR_RATES
    for skill in skills:
        start = rng.choices(STARTS, START_WEIGHTS)[0]
        views = [(subject, start, rng.choices(GAINS, GAIN_WEIGHTS)[0])]
        if mentor_rates:  # mentors see a little differently, and a little more growth
            views.append((mentorship.mentor, _level(start + rng.choice((-1, 0, 0, 1))), rng.choice((0, 1, 1, 2))))
        for rater, begin, gain in views:
            levels = [(Stage.START, begin)] + ([(Stage.COMPLETION, _level(begin + gain))] if completed else [])
            rows += [
                SkillRating(
                    mentorship=mentorship, subject=subject, rater=rater, skill_id=skill.id, stage=stage, level=level
                )
                for stage, level in levels
            ]
    return rows


def _goal_skills_for(demo_mentee: User) -> None:
    """The demo mentee's goals name only a suggestion no admin has approved yet (accounts.demo), which nobody rates:
    their goals also name the approved skills they want to grow, so that their skills page has something to rate."""
    wanted = list(Skill.objects.approved().filter(learning_profiles=demo_mentee.profile).order_by("name")[:2])
    for goal in Goal.objects.filter(mentee=demo_mentee):
        goal.skills.add(*wanted)


def demo_skill_ratings_build(*, demo_mentee: User, seed: int = 2026) -> int:
    """Returns how many ratings were written."""
    rng = random.Random(seed)
    _goal_skills_for(demo_mentee)
    mentorships = Mentorship.objects.select_related("program", "mentor").prefetch_related("members__user")
    rows, notices = [], []
    for mentorship in mentorships.order_by("pk"):
        completed = not mentorship.is_active
        members = [m.user for m in mentorship.current_members()]
        skills = skills_to_rate(mentorship=mentorship, subject_ids=[person.pk for person in members])
        for person in members:
            if person.pk == demo_mentee.pk and not completed:
                if skills[person.pk]:
                    notice = prompt_notice(mentorship, person, Stage.START, skills=skills[person.pk])
                    notices.append({**notice, "ago": dt.timedelta(hours=5), "read": False})
                continue
            if completed or rng.random() < ACTIVE_RATED:
                rows += _rows(rng, mentorship, person, skills[person.pk], completed=completed)
    SkillRating.objects.bulk_create(rows)
    demo_notices_write(notices=[{k: v for k, v in n.items() if k != "once_key"} for n in notices])
    return len(rows)
