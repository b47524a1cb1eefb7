"""Nudges and reminders: a program admin's nudge to a pair at risk; the platform's own nudge to a mentorship gone
quiet for 1.5 × its cadence; a reminder to whoever was asked and has not answered a request for 3 days.

The automatic ones run from celery beat (mentorship/tasks.py) and may run twice at once (two beat processes, a
retried task): each is sent once, by a key naming what it is about (the quiet spell, the request) that the
database holds unique (`Nudge.spell`, the notification's `once_key`)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict
from mentorship import naming
from mentorship.at_risk import cadence_days_of, quiet_since, with_quiet_facts
from mentorship.models import Mentorship, MentorshipRequest, Nudge
from notifications.services import notify

NUDGE_AGAIN_AFTER = dt.timedelta(days=7)  # an admin's nudge, at most once a week per mentorship
QUIET_NUDGE_FACTOR = 1.5  # the platform nudges after 1.5 × the cadence without a session
REQUEST_REMINDER_AFTER = dt.timedelta(days=3)


def _called(mentorship: Mentorship, person: User) -> str:
    """What the mentorship is to `person`, inside a sentence: "your circle", "your mentorship with Maya Mentee"."""
    if mentorship.is_circle:
        return "your circle" if person.pk == mentorship.mentor_id else f"{mentorship.mentor.get_short_name()}'s circle"
    others = " and ".join(str(other) for other in naming.partners_of(mentorship, person))
    return f"your {'pair' if mentorship.is_peer else 'mentorship'} with {others}"


def _tell_everyone(mentorship: Mentorship, *, by_admin: bool, once_key: str = "") -> int:
    """Notify each person in it now, with a link to its page; returns how many were told."""
    last = getattr(mentorship, "last_session_on", None)
    link = reverse("mentorship-page", args=[mentorship.pk])
    told = 0
    for person in mentorship.people():
        context = {
            "name": person.get_short_name(),
            "by_admin": by_admin,
            "mentorship": _called(mentorship, person),
            "program": mentorship.program.name,
            "last_session_on": f"{last:%-d %B %Y}" if last else "",
            "started_on": f"{timezone.localtime(mentorship.started_at):%-d %B %Y}",
            "cadence_days": cadence_days_of(mentorship),
        }
        sent = notify(
            recipient_id=person.pk,
            kind="nudge",
            subject=f"How is {context['mentorship']} going?",
            template="emails/nudge.txt",
            context=context,
            link=link,
            once_key=once_key,
        )
        told += sent is not None
    return told


def _with_facts(mentorships):
    return with_quiet_facts(mentorships.select_related("program", "mentor").prefetch_related("members__user"))


@transaction.atomic
def nudge_send(*, program_id: int, mentorship_id: int, by: User) -> Nudge:
    """A program admin nudges everyone in an active mentorship of their program (the caller checked that they
    administer it): 409 `already_nudged` within NUDGE_AGAIN_AFTER of the last nudge, `not_active` once it ended.
    The mentorship's row lock keeps two admins clicking at once to one nudge."""
    if Mentorship.objects.select_for_update().filter(pk=mentorship_id, program_id=program_id).first() is None:
        raise Http404("No such mentorship in this program.")
    mentorship = _with_facts(Mentorship.objects.filter(pk=mentorship_id)).get()
    if not mentorship.is_active:
        raise Conflict("This mentorship has ended; there is nobody to nudge.", code="not_active")
    now = timezone.now()
    if mentorship.nudged_at is not None and now - mentorship.nudged_at < NUDGE_AGAIN_AFTER:
        again = timezone.localtime(mentorship.nudged_at + NUDGE_AGAIN_AFTER)
        raise Conflict(
            f"This mentorship was nudged on {timezone.localtime(mentorship.nudged_at):%-d %B}; "
            f"nudge it again from {again:%-d %B}.",
            code="already_nudged",
        )
    nudge = Nudge(mentorship=mentorship, sent_by=by)
    nudge.full_clean()
    nudge.save()
    _tell_everyone(mentorship, by_admin=True)
    return nudge


def quiet_spell_key(mentorship: Mentorship) -> str:
    """Names a mentorship's quiet spell: the same from its last session (or its start) until the next session."""
    return f"mentorship-{mentorship.pk}-quiet-since-{quiet_since(mentorship).isoformat()}"


def is_quiet(mentorship: Mentorship, *, today: dt.date) -> bool:
    """No session for more than QUIET_NUDGE_FACTOR × its cadence (with a weekly cadence, from the 11th day), and
    no meeting planned: people who have already set a date need no nudge."""
    if mentorship.next_meeting_at is not None:
        return False
    return (today - quiet_since(mentorship)).days > QUIET_NUDGE_FACTOR * cadence_days_of(mentorship)


def quiet_nudges_send(*, today: dt.date | None = None) -> int:
    """Nudge everyone in each active mentorship gone quiet, once per quiet spell; returns how many mentorships
    were nudged now. Each in its own transaction: one failure stops nobody else's nudge."""
    today = today or timezone.localdate()
    quiet = [m for m in _with_facts(Mentorship.objects.active()).order_by("pk") if is_quiet(m, today=today)]
    spells = {quiet_spell_key(m): m for m in quiet}
    done = set(Nudge.objects.filter(spell__in=list(spells)).values_list("spell", flat=True))
    return sum(_quiet_nudge(mentorship, spell) for spell, mentorship in spells.items() if spell not in done)


@transaction.atomic
def _quiet_nudge(mentorship: Mentorship, spell: str) -> bool:
    try:
        with transaction.atomic():
            Nudge.objects.create(mentorship=mentorship, spell=spell)
    except IntegrityError:  # another run nudged this spell a moment ago
        return False
    _tell_everyone(mentorship, by_admin=False, once_key=spell)
    return True


def request_reminder_key(request: MentorshipRequest) -> str:
    return f"request-{request.pk}-reminder"


def request_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind whoever was asked (a mentor, or a peer) of each request pending for REQUEST_REMINDER_AFTER and not
    answered by them yet, once per request; returns how many reminders went out now."""
    now = now or timezone.now()
    waiting = (
        MentorshipRequest.objects.pending()
        .filter(created_at__lte=now - REQUEST_REMINDER_AFTER, expires_at__gt=now, recipient_accepted_at__isnull=True)
        .select_related("mentee", "mentor", "program")
        .order_by("pk")
    )
    sent = 0
    for request in waiting:
        with transaction.atomic():
            sent += _request_reminder(request) is not None
    return sent


def _request_reminder(request: MentorshipRequest):
    program = request.program
    if program.format == program.Format.PEER:
        asked_for = "to pair up as peers"
    elif program.format == program.Format.GROUP:
        asked_for = "to join your circle"
    else:
        asked_for = "to be their mentor"
    return notify(
        recipient_id=request.mentor_id,
        kind="request_reminder",
        subject=f"{request.mentee} is waiting for your answer",
        template="emails/nudge_request_reminder.txt",
        context={
            "name": request.mentor.get_short_name(),
            "asker": str(request.mentee),
            "asked_for": asked_for,
            "program": program.name,
            "sent_on": f"{timezone.localtime(request.created_at):%-d %B %Y}",
            "expires_on": f"{timezone.localtime(request.expires_at):%-d %B %Y}",
        },
        link=reverse("request-list-page"),
        once_key=request_reminder_key(request),
    )
