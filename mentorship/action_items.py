"""Action items: what one person of a mentorship agreed to do, by when. Anyone in the mentorship adds them, for
anyone in it, and ticks them; the owner is told when someone else gives them one."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from mentorship.models import ActionItem, Mentorship, Session
from mentorship.participants import mentorships_participating, require_participant, require_running
from notifications.services import notify


def action_item_list(*, mentorship: Mentorship) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(mentorship=mentorship).select_related("owner", "created_by")


def action_items_open_for(*, owner: User) -> QuerySet[ActionItem]:
    """A person's open items in the mentorships they are in now, the overdue first (the oldest due first), then
    the dated, then the undated."""
    return (
        ActionItem.objects.filter(owner=owner, done=False, mentorship__in=mentorships_participating(owner))
        .select_related("mentorship__program", "mentorship__mentor")
        .order_by("due_on", "id")
    )


def is_overdue(item: ActionItem, today: dt.date) -> bool:
    return not item.done and item.due_on is not None and item.due_on < today


def _owner(mentorship: Mentorship, owner_id: int) -> User:
    person = next((p for p in mentorship.people() if p.pk == owner_id), None)
    if person is None:
        raise ValidationError({"owner": ["The owner must be someone in this mentorship."]})
    return person


def _check_due(due_on: dt.date | None) -> None:
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": ["The due date cannot be in the past."]})


def _lock(mentorship_id: int) -> Mentorship:
    # The mentorship's row only: a peer pair has no mentor, and an outer join's null side cannot be locked.
    return Mentorship.objects.select_for_update(of=("self",)).select_related("program", "mentor").get(pk=mentorship_id)


@transaction.atomic
def action_item_create(
    *,
    mentorship: Mentorship,
    by: User,
    title: str,
    owner_id: int,
    due_on: dt.date | None = None,
    session_id: int | None = None,
) -> ActionItem:
    mentorship = _lock(mentorship.pk)
    require_participant(mentorship, by, doing="add action items")
    require_running(mentorship)
    owner = _owner(mentorship, owner_id)
    _check_due(due_on)
    if session_id is not None and not Session.objects.filter(pk=session_id, mentorship=mentorship).exists():
        raise ValidationError({"session": ["No session of this mentorship has this id."]})
    item = ActionItem(
        mentorship=mentorship, title=title, owner=owner, due_on=due_on, created_by=by, session_id=session_id
    )
    item.full_clean()
    item.save()
    if owner.pk != by.pk:
        _tell_owner(item, by)
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, by: User, changes: dict) -> ActionItem:
    """Change the title, owner or due date, or tick it done (or not done again)."""
    mentorship = _lock(item.mentorship_id)
    require_participant(mentorship, by, doing="change their action items")
    require_running(mentorship)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    changes = dict(changes)
    new_owner = None
    if "owner" in changes:
        new_owner = _owner(mentorship, changes.pop("owner"))
        changes["owner"] = new_owner
    if "due_on" in changes and changes["due_on"] != item.due_on:
        _check_due(changes["due_on"])
    if "done" in changes and changes["done"] != item.done:
        changes["done_at"] = timezone.now() if changes["done"] else None
    handed_over = new_owner is not None and new_owner.pk != item.owner_id and new_owner.pk != by.pk
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    if changes:
        item.save(update_fields=[*changes, "updated_at"])
    if handed_over:
        _tell_owner(item, by)
    return item


def _tell_owner(item: ActionItem, by: User) -> None:
    due = f" by {item.due_on:%-d %B %Y}" if item.due_on else ""
    notify(
        recipient_id=item.owner_id,
        kind="action_item",
        subject=f"{by.get_short_name()} gave you an action item: {item.title}"[:300],
        template="emails/action_item_assigned.txt",
        context={"recipient": item.owner, "author": by, "title": item.title, "due": due},
        link=reverse("mentorship-page", args=[item.mentorship_id]),
    )
