"""The notices that ask people to rate their skills: "Rate where you start" to each member when a mentorship starts
(or when they join a running circle), and to rate again when it completes (to its mentor too, who may rate the
members).

Mentorship code does not know evaluation exists, so nothing is sent at the moment of a start or a completion: celery
beat runs `skill_rating_prompts_send` (evaluation/skill_tasks.py), which scans the starts and completions of the
last PROMPT_WINDOW. Each notice has a once_key naming the mentorship, the stage and (by the notification's own
uniqueness) the person, so a scan that runs twice, or two at once, tells nobody twice. Someone with no skill to rate
is not told; they are, at a later scan within the window, once their goals name one."""

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from evaluation.models import SkillRating
from evaluation.skills import skills_to_rate, stage_closes_at
from mentorship.models import Mentorship, MentorshipMember
from notifications.services import notify

# Beat runs the scan hourly; a week back covers a stopped beat. Older starts are not prompted when this is deployed.
PROMPT_WINDOW = dt.timedelta(days=7)
Stage = SkillRating.Stage


def _called(mentorship: Mentorship) -> str:
    kind = "circle" if mentorship.is_circle else "peer pair" if mentorship.is_peer else "mentorship"
    return f"Your {kind} in {mentorship.program.name}"


def _listed(names: list[str]) -> str:
    """ "Ana", "Ana and Ben", "Ana, Ben and Cy"."""
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + (names[-1] if names else "")


def prompt_notice(mentorship: Mentorship, person: User, stage: str, *, skills: list, mentees: list = ()) -> dict:
    """notify()'s arguments for asking `person` to rate `stage` (their own `skills`; or, for the mentor at
    completion, their `mentees`'). The demo writes the same notices without sending them."""
    closes = stage_closes_at(mentorship, stage)
    rates_others = bool(mentees)
    if stage == Stage.START:
        subject = "Rate where you start"
    elif rates_others:
        subject = "Rate where your mentees ended up" if len(mentees) > 1 else "Rate where your mentee ended up"
    else:
        subject = "Rate your skills again: see how far you came"
    return {
        "recipient_id": person.pk,
        "kind": "skills",
        "subject": subject,
        "template": "emails/skill_rating_prompt.txt",
        "context": {
            "name": person.get_short_name(),
            "stage": stage,
            "mentorship": _called(mentorship),
            "skills": ", ".join(skill.name for skill in skills),
            "rates_others": rates_others,
            "mentees": _listed([m.get_short_name() for m in mentees]),
            "closes_on": f"{timezone.localtime(closes):%-d %B %Y}" if closes else "",
        },
        "link": reverse("mentorship-skills-page", args=[mentorship.pk]),
        "once_key": f"skills-{stage}-mentorship-{mentorship.pk}",
    }


def _tell(mentorship: Mentorship, person: User, stage: str, *, skills: list, mentees: list = ()) -> bool:
    return notify(**prompt_notice(mentorship, person, stage, skills=skills, mentees=mentees)) is not None


def _rated(mentorship_ids, stage: str) -> set[tuple[int, int]]:
    """(mentorship, person) of those who rated their own skills at `stage` already: no need to ask them."""
    rows = SkillRating.objects.filter(mentorship_id__in=mentorship_ids, stage=stage, rater=F("subject"))
    return set(rows.values_list("mentorship_id", "subject_id").distinct())


def skill_rating_prompts_send(*, now: dt.datetime | None = None) -> int:
    """Ask the members of mentorships started (or joined) in the last PROMPT_WINDOW to rate where they start, and
    everyone in those completed in it to rate again. Returns how many were told now."""
    now = now or timezone.now()
    since = now - PROMPT_WINDOW
    told = 0
    joined = MentorshipMember.objects.active().filter(joined_at__gte=since, mentorship__status=Mentorship.Status.ACTIVE)
    completed = Mentorship.objects.filter(status=Mentorship.Status.COMPLETED, ended_at__gte=since, ended_at__lte=now)
    mentorships = (
        Mentorship.objects.filter(Q(pk__in=joined.values("mentorship_id")) | Q(pk__in=completed.values("pk")))
        .select_related("program", "mentor")
        .prefetch_related("members__user")
        .order_by("pk")
    )
    mentorships = list(mentorships)
    ids = [m.pk for m in mentorships]
    rated = {Stage.START: _rated(ids, Stage.START), Stage.COMPLETION: _rated(ids, Stage.COMPLETION)}
    for mentorship in mentorships:
        stage = Stage.START if mentorship.is_active else Stage.COMPLETION
        members = mentorship.current_members()
        if stage == Stage.START:
            members = [m for m in members if m.joined_at >= since]
        people = [m.user for m in members]
        skills = skills_to_rate(mentorship=mentorship, subject_ids=[p.pk for p in people])
        with_skills = [p for p in people if skills[p.pk]]
        for person in with_skills:
            if (mentorship.pk, person.pk) not in rated[stage]:
                told += _tell(mentorship, person, stage, skills=skills[person.pk])
        if stage == Stage.COMPLETION and mentorship.mentor_id is not None and with_skills:
            told += _tell(mentorship, mentorship.mentor, stage, skills=[], mentees=with_skills)
    return told
