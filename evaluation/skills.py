"""Skills gained: each mentee's level (1–5) in the skills of their goals, as they see it at a mentorship's start and
at its completion, and as their mentor sees it.

Which skills: the approved skills of the goals the person brought to this mentorship — the goals of the request
that brought them in (MentorshipMember.request; a peer pair shares one request, whose goals are the asker's, so
each peer's own goals are told apart by owner). Someone who came without naming goals (a match round's offer, the
peer who was asked) rates the skills of the goals they held open during it. Skills already rated stay on the list
whatever becomes of the goal since, so that a start rating always has its completion to be compared with. Whether
a goal is `shared` does not matter here: a rating is read by its subject and their mentor only, and a mentor sees
all of a mentee's goals anyway.

Who rates whom: everyone rates themselves; the mentor of a one-on-one or a circle may rate each member too. Peers
rate only themselves: they have equal rights, and the report's "mentor's view" stays a mentor's.

When: the start while the mentorship is active (a member who joins a circle late rates on joining); the completion
once it has completed, for COMPLETION_WINDOW after. A stage may be rated again while it is open: a new level
replaces the old one, skill by skill.

Locks: the mentorship's row, as every write of a mentorship (mentorship/agreements.py), so two saves of the same
form, or a save racing the completion, happen one after the other."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Skill, User
from config.errors import Conflict
from evaluation.models import SkillRating
from evaluation.skill_gains import SkillGain, SkillGains, skill_gains, skills_section
from mentorship.models import Goal, Mentorship

__all__ = [
    "COMPLETION_WINDOW",
    "LEVEL_NAMES",
    "SkillGain",
    "SkillGains",
    "skill_gains",
    "skill_ratings_of",
    "skill_ratings_put",
    "skills_section",
    "skills_to_rate",
    "stage_is_open",
]

Stage = SkillRating.Stage
COMPLETION_WINDOW = dt.timedelta(days=30)
LEVEL_NAMES = {1: "Beginner", 2: "Novice", 3: "Competent", 4: "Proficient", 5: "Expert"}


@dataclass(frozen=True)
class SkillRef:
    id: int
    name: str


@dataclass(frozen=True)
class Levels:
    """One rater's view of one skill: the level at the start, at completion, and the difference once both exist."""

    start: int | None = None
    completion: int | None = None

    @property
    def gain(self) -> int | None:
        if self.start is None or self.completion is None:
            return None
        return self.completion - self.start


@dataclass(frozen=True)
class SkillLine:
    skill: SkillRef
    by_self: Levels
    by_mentor: Levels


@dataclass
class SubjectRatings:
    """A person's skills in one mentorship as someone allowed to see them reads them, and the stages that reader
    may rate now."""

    person: User
    skills: list[SkillLine] = field(default_factory=list)
    can_rate: list[str] = field(default_factory=list)


def stage_is_open(mentorship: Mentorship, stage: str, *, now: dt.datetime | None = None) -> bool:
    if stage == Stage.START:
        return mentorship.is_active
    if mentorship.is_active or mentorship.ended_at is None:
        return False
    return (now or timezone.now()) <= mentorship.ended_at + COMPLETION_WINDOW


def stage_closes_at(mentorship: Mentorship, stage: str) -> dt.datetime | None:
    """When the completion ratings close (None for the start: it closes when the mentorship completes)."""
    if stage == Stage.COMPLETION and mentorship.ended_at is not None:
        return mentorship.ended_at + COMPLETION_WINDOW
    return None


def may_rate(mentorship: Mentorship, *, by: User, subject: User) -> bool:
    """Oneself, or a member as their mentor (a peer pair has none)."""
    return by.pk == subject.pk or (mentorship.mentor_id is not None and by.pk == mentorship.mentor_id)


def subjects_for(mentorship: Mentorship, viewer: User) -> list[User]:
    """Whose skills `viewer` reads here: every current member for the mentor; themselves for a member."""
    members = [m.user for m in mentorship.current_members()]
    if mentorship.mentor_id is not None and viewer.pk == mentorship.mentor_id:
        return members
    return [person for person in members if person.pk == viewer.pk]


def _goal_ids(mentorship: Mentorship, subject_ids: list[int]) -> list[int]:
    """The goals each subject brought (their request's), else those they held open while it ran. Two queries."""
    requests = {m.request_id for m in mentorship.current_members() if m.request_id and m.user_id in subject_ids}
    brought = list(
        Goal.objects.filter(mentee_id__in=subject_ids, requests__in=requests).values_list("pk", "mentee_id").distinct()
    )
    without = [pk for pk in subject_ids if pk not in {mentee for _, mentee in brought}]
    held_open = []
    if without:
        during = Q(status=Goal.Status.OPEN) | Q(status=Goal.Status.ACHIEVED, updated_at__gte=mentorship.started_at)
        if mentorship.ended_at is not None:
            during &= Q(created_at__lte=mentorship.ended_at)
        held_open = list(Goal.objects.filter(during, mentee_id__in=without).values_list("pk", flat=True))
    return [pk for pk, _ in brought] + held_open


def skills_to_rate(
    *, mentorship: Mentorship, subject_ids: Iterable[int], rated: Iterable[SkillRating] = ()
) -> dict[int, list[SkillRef]]:
    """Each subject's skills to rate in `mentorship`, by name: their goals' approved skills and any skill already
    rated for them here (`rated`: the rows read already, with `skill`)."""
    subject_ids = list(subject_ids)
    found: dict[int, dict[int, SkillRef]] = {pk: {} for pk in subject_ids}
    goal_ids = _goal_ids(mentorship, subject_ids)
    if goal_ids:
        links = Goal.skills.through.objects.filter(goal_id__in=goal_ids, skill__status=Skill.Status.APPROVED)
        for owner, skill_id, name in links.values_list("goal__mentee_id", "skill_id", "skill__name"):
            found[owner][skill_id] = SkillRef(skill_id, name)
    for rating in rated:
        if rating.subject_id in found:
            found[rating.subject_id].setdefault(rating.skill_id, SkillRef(rating.skill_id, rating.skill.name))
    return {pk: sorted(skills.values(), key=lambda s: (s.name.lower(), s.id)) for pk, skills in found.items()}


def skill_rating_list(*, mentorship: Mentorship, subject_ids: Iterable[int]):
    return SkillRating.objects.filter(mentorship=mentorship, subject_id__in=list(subject_ids)).select_related("skill")


def skill_ratings_of(*, mentorship: Mentorship, viewer: User) -> list[SubjectRatings]:
    """What `viewer` (someone in `mentorship`) reads of its skill ratings: per subject, each skill with the levels
    by themselves and by the mentor, and the stages the viewer may rate now. A few queries, whatever the size."""
    subjects = subjects_for(mentorship, viewer)
    ids = [person.pk for person in subjects]
    ratings = list(skill_rating_list(mentorship=mentorship, subject_ids=ids))
    skills = skills_to_rate(mentorship=mentorship, subject_ids=ids, rated=ratings)
    levels: dict[tuple[int, int, str], dict[str, int]] = {}
    for rating in ratings:
        if rating.is_self_rating:
            view = "self"
        elif rating.rater_id == mentorship.mentor_id:
            view = "mentor"
        else:
            continue  # someone who no longer mentors it: theirs is not today's mentor's view
        levels.setdefault((rating.subject_id, rating.skill_id, view), {})[rating.stage] = rating.level
    now = timezone.now()
    open_stages = [stage for stage in Stage.values if stage_is_open(mentorship, stage, now=now)]
    answer = []
    for person in subjects:
        lines = [
            SkillLine(
                skill,
                Levels(**levels.get((person.pk, skill.id, "self"), {})),
                Levels(**levels.get((person.pk, skill.id, "mentor"), {})),
            )
            for skill in skills[person.pk]
        ]
        allowed = may_rate(mentorship, by=viewer, subject=person) and bool(lines)
        answer.append(SubjectRatings(person, lines, open_stages if allowed else []))
    return answer


def _lock(mentorship_id: int) -> Mentorship:
    # The mentorship's row only: a peer pair has no mentor, and an outer join's null side cannot be locked.
    return Mentorship.objects.select_for_update(of=("self",)).select_related("program").get(pk=mentorship_id)


def _subject(mentorship: Mentorship, by: User, subject_id: int | None) -> User:
    members = {m.user_id: m.user for m in mentorship.current_members()}
    if subject_id is None:
        if by.pk in members:
            return members[by.pk]
        if len(members) == 1:
            return next(iter(members.values()))
        raise ValidationError({"subject": ["Say whose skills you rate: one of the members."]})
    if subject_id not in members:
        raise ValidationError({"subject": ["Nobody by this id is a member of this mentorship."]})
    return members[subject_id]


@transaction.atomic
def skill_ratings_put(
    *,
    mentorship: Mentorship,
    by: User,
    stage: str,
    ratings: Iterable[tuple[int, int]],
    subject_id: int | None = None,
) -> list[SkillRating]:
    """Rate `subject_id`'s skills (by default `by`'s own; a one-on-one's mentee for its mentor) at `stage`:
    `ratings` are (skill id, level 1–5). A level given before for the same skill and stage is replaced; skills not
    named keep theirs. 403 for whoever may not rate that person; 409 `stage_closed` outside the stage's time; 400
    for a skill not among theirs here."""
    mentorship = _lock(mentorship.pk)
    if by.pk not in {person.pk for person in mentorship.people()}:
        raise PermissionDenied("Only the people in this mentorship rate skills in it.")
    subject = _subject(mentorship, by, subject_id)
    if not may_rate(mentorship, by=by, subject=subject):
        raise PermissionDenied(
            "Each peer rates their own skills." if mentorship.is_peer else "Members rate their own skills."
        )
    if not stage_is_open(mentorship, stage):
        raise Conflict(_closed(mentorship, stage), code="stage_closed")
    ratings = list(ratings)
    if not ratings:
        raise ValidationError({"ratings": ["Rate at least one skill."]})
    existing = {
        r.skill_id: r for r in SkillRating.objects.filter(mentorship=mentorship, subject=subject, rater=by, stage=stage)
    }
    allowed = {s.id for s in skills_to_rate(mentorship=mentorship, subject_ids=[subject.pk])[subject.pk]}
    allowed |= set(
        SkillRating.objects.filter(mentorship=mentorship, subject=subject).values_list("skill_id", flat=True)
    )
    unknown = sorted(skill for skill, _ in ratings if skill not in allowed)
    if unknown:
        raise ValidationError(
            {"ratings": [f"Not a skill of {_whose(by, subject)} goals here: {', '.join(map(str, unknown))}."]}
        )
    saved = []
    for skill_id, level in ratings:
        rating = existing.get(skill_id) or SkillRating(
            mentorship=mentorship, subject=subject, rater=by, skill_id=skill_id, stage=stage
        )
        if rating.pk is not None and rating.level == level:
            saved.append(rating)
            continue
        rating.level = level
        rating.full_clean(validate_constraints=False)  # the row lock and the unique constraint keep one per stage
        rating.save()
        saved.append(rating)
    return saved


def _whose(by: User, subject: User) -> str:
    return "your" if by.pk == subject.pk else f"{subject.get_short_name()}'s"


def _closed(mentorship: Mentorship, stage: str) -> str:
    if stage == Stage.START:
        return "The start can be rated only while the mentorship runs."
    if mentorship.is_active:
        return "Skills are rated again once the mentorship has completed."
    return f"Completion ratings closed {COMPLETION_WINDOW.days} days after the mentorship completed."
