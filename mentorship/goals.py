"""Every write of a person's goals and their milestones, each in one transaction. A goal belongs to a person, in
no program: it travels with them to every mentor they have."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.taxonomy import TaxonomyRef, skills_assign
from mentorship.models import Goal, Milestone
from programs.models import Membership
from programs.selectors import memberships_of

Role = Membership.Role
# Who sets goals of their own: people who are mentored somewhere (a mentee, or a peer of a peer program).
MENTORED_ROLES = (Role.MENTEE, Role.PEER)


def own_goals(*, mentee: User, goal_ids: Iterable[int], field: str = "goals") -> list[Goal]:
    goal_ids = list(dict.fromkeys(goal_ids))
    goals = {g.pk: g for g in Goal.objects.filter(mentee=mentee, pk__in=goal_ids)}
    unknown = [pk for pk in goal_ids if pk not in goals]
    if unknown:
        raise ValidationError({field: [f"You have no goal with id {pk}." for pk in unknown]})
    return [goals[pk] for pk in goal_ids]


def _require_owner(goal: Goal, user: User) -> None:
    if goal.mentee_id != user.pk:
        raise PermissionDenied("Only the mentee who set this goal can change it.")


@transaction.atomic
def goal_create(
    *,
    mentee: User,
    title: str,
    description: str = "",
    skills: Iterable[TaxonomyRef] = (),
    target_date: dt.date | None = None,
    status: str = Goal.Status.OPEN,
    shared: bool = False,
) -> Goal:
    if not any(m.role in MENTORED_ROLES and m.is_active for m in memberships_of(mentee)):
        raise PermissionDenied("Only people who are mentored in a program set goals.")
    if target_date is not None and target_date < timezone.localdate():
        raise ValidationError({"target_date": ["A new goal's target date cannot be in the past."]})
    goal = Goal(
        mentee=mentee, title=title, description=description, target_date=target_date, status=status, shared=shared
    )
    goal.full_clean()
    goal.save()
    skills_assign(to=goal.skills, refs=skills, person=mentee)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, user: User, changes: dict) -> Goal:
    _require_owner(goal, user)
    changes = dict(changes)
    skills = changes.pop("skills", None)
    for name, value in changes.items():
        setattr(goal, name, value)
    goal.full_clean()
    # The skills before the goal's row: the order in which an admin's review of a suggestion takes its locks.
    if skills is not None:
        skills_assign(to=goal.skills, refs=skills, person=user)
    if changes or skills is not None:  # new skills change the goal too: readers that key by `updated_at` see it
        goal.save(update_fields=[*changes, "updated_at"])
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, user: User) -> None:
    _require_owner(goal, user)
    # Its skills first, as any change of skills (the suggestions only it named are withdrawn), then the goal.
    skills_assign(to=goal.skills, refs=[], person=user)
    goal.delete()


@transaction.atomic
def milestone_create(
    *,
    goal: Goal,
    user: User,
    title: str,
    due_date: dt.date | None = None,
    done: bool = False,
    position: int | None = None,
) -> Milestone:
    """A new milestone, last in the goal's list unless `position` puts it elsewhere."""
    _require_owner(goal, user)
    Goal.objects.select_for_update().filter(pk=goal.pk).first()  # one new last place at a time
    last = Milestone.objects.filter(goal=goal).aggregate(last=Max("position"))["last"]
    milestone = Milestone(
        goal=goal,
        title=title,
        due_date=due_date,
        done=done,
        done_at=timezone.now() if done else None,
        position=0 if last is None else last + 1,
    )
    milestone.full_clean()
    milestone.save()
    if position is not None:
        _milestone_move(milestone, position)
        milestone.refresh_from_db(fields=["position"])
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, user: User, changes: dict) -> Milestone:
    """Edit, tick, or move it (`position`: its new place in the goal's list, the others close up around it)."""
    _require_owner(milestone.goal, user)
    changes = dict(changes)
    if "position" in changes:
        _milestone_move(milestone, changes.pop("position"))
        milestone.refresh_from_db(fields=["position"])
    if "done" in changes and changes["done"] != milestone.done:
        changes["done_at"] = timezone.now() if changes["done"] else None
    for name, value in changes.items():
        setattr(milestone, name, value)
    milestone.full_clean()
    if changes:
        milestone.save(update_fields=[*changes, "updated_at"])
    return milestone


def _milestone_move(milestone: Milestone, place: int) -> None:
    # The goal's row is the lock: two moves in one list renumber it one after the other.
    Goal.objects.select_for_update().filter(pk=milestone.goal_id).first()
    others = Milestone.objects.filter(goal_id=milestone.goal_id).exclude(pk=milestone.pk)
    order = list(others.order_by("position", "id"))
    order.insert(min(place, len(order)), milestone)
    moved = []
    for position, item in enumerate(order):
        if item.position != position:
            item.position = position
            moved.append(item)
    Milestone.objects.bulk_update(moved, ["position"])


@transaction.atomic
def milestone_delete(*, milestone: Milestone, user: User) -> None:
    _require_owner(milestone.goal, user)
    milestone.delete()
