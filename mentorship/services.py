"""Every write of the mentorship lifecycle, each in one transaction. Requests and mentorships live in a program.

Capacity is checked under row locks, always taken in the same order (the mentor's membership in the program, the
mentee's membership there, then requests), so that concurrent accepts queue up instead of over-booking or
deadlocking. A change of capacity (programs.services) locks the same membership row.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import User
from config.errors import Conflict
from mentorship.goals import own_goals
from mentorship.models import Goal, MentorshipMember, MentorshipRequest
from mentorship.relationships import mentorship_start
from mentorship.selectors import mentee_standing, mentor_offers_held, mentor_seats
from notifications.services import notify
from programs.models import Membership, Program
from programs.selectors import program_default, roles_in
from programs.services import program_require_open

Status = MentorshipRequest.Status
Role = Membership.Role


# --- Requests ---------------------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    mentee: User,
    mentor_id: int,
    program: Program | None = None,
    message: str = "",
    goal_ids: Iterable[int] = (),
    origin: str = MentorshipRequest.Origin.SELF,
) -> MentorshipRequest:
    """In `program` (the default one when not given), a mentee asks a mentor. 403 unless the mentee is an active
    mentee there; 400 naming `mentor` unless the mentor is an active mentor there (a request never crosses
    programs); 409 `program_ended` after a cohort; 409 when the pair already has a pending request or an active
    mentorship, the mentor is not accepting or is full, or the mentee has as many mentors as the program allows.

    An incomplete profile keeps a mentor out of the directory, not out of reach: whoever knows them may ask."""
    program = program or program_default()
    if program.format == Program.Format.PEER:
        raise ValidationError({"role": [f"{program} is a peer program: ask a peer (`peer`), not a mentor."]})
    if Role.MENTEE not in roles_in(mentee, program):
        raise PermissionDenied(f"Only mentees of {program} send mentorship requests there.")
    if mentor_id == mentee.pk:
        raise ValidationError({"mentor": ["You cannot ask yourself."]})
    seat = mentor_seats(program).filter(user_id=mentor_id).first()
    if seat is None:
        raise ValidationError({"mentor": [f"No mentor with id {mentor_id} in {program}."]})
    program_require_open(program, action="requests")
    mentor = seat.user
    goals = own_goals(mentee=mentee, goal_ids=goal_ids)
    refusal = request_refusal(mentee=mentee, seat=seat, origin=origin)
    if refusal:
        raise refusal

    return request_save(program=program, asker=mentee, asked=mentor, message=message, goals=goals, origin=origin)


def request_save(
    *, program: Program, asker: User, asked: User, message: str, goals: list[Goal], origin: str
) -> MentorshipRequest:
    """Write a request that has passed its checks, and tell the person asked (a round's offer: see its publish)."""
    request = MentorshipRequest(
        program=program,
        mentee=asker,
        mentor=asked,
        message=message,
        origin=origin,
        expires_at=timezone.now() + dt.timedelta(days=program.request_expiry_days),
    )
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # A twin request from a double click committed first: the constraint keeps one pending per pair.
        raise Conflict(f"You already have a pending request with {asked}.", code="request_pending") from None
    request.goals.set(goals)
    notify_request(request, "received")
    return request


@transaction.atomic
def peer_request_create(
    *,
    asker: User,
    peer_id: int,
    program: Program,
    message: str = "",
    goal_ids: Iterable[int] = (),
    origin: str = MentorshipRequest.Origin.SELF,
) -> MentorshipRequest:
    """In a peer program, a peer asks another to pair up. 400 naming `role` outside a peer program; 403 unless
    the asker is an active peer there; 400 naming `peer` for oneself or someone who is not an active peer there;
    409 as for mentors (`request_pending`, `already_paired`, `mentee_full`, `peer_full`, `request_cooldown`)."""
    if program.format != Program.Format.PEER:
        raise ValidationError({"role": [f"{program} pairs mentees with mentors: ask a mentor (`mentor`)."]})
    if Role.PEER not in roles_in(asker, program):
        raise PermissionDenied(f"Only peers of {program} ask peers there.")
    if peer_id == asker.pk:
        raise ValidationError({"peer": ["You cannot pair with yourself."]})
    seat = (
        Membership.objects.in_program(program)
        .filter(role=Role.PEER, user_id=peer_id, user__is_active=True)
        .active()
        .select_related("user")
        .first()
    )
    if seat is None:
        raise ValidationError({"peer": [f"No peer with id {peer_id} in {program}."]})
    program_require_open(program, action="requests")
    goals = own_goals(mentee=asker, goal_ids=goal_ids)
    refusal = peer_request_refusal(asker=asker, peer=seat.user, program=program, origin=origin)
    if refusal:
        raise refusal
    return request_save(program=program, asker=asker, asked=seat.user, message=message, goals=goals, origin=origin)


def peer_request_refusal(
    *, asker: User, peer: User, program: Program, origin: str = MentorshipRequest.Origin.SELF
) -> Conflict | None:
    """Why `asker` may not ask `peer` to pair up in `program` now, or None (the API's 409, the page's note)."""
    between = MentorshipRequest.objects.in_program(program).filter(
        Q(mentee=asker, mentor=peer) | Q(mentee=peer, mentor=asker)
    )
    if between.pending().exists():
        return Conflict(f"There is already a pending request between you and {peer}.", code="request_pending")
    if peers_paired(program=program, a=asker.pk, b=peer.pk):
        return Conflict(f"{peer} is already your peer partner.", code="already_paired")
    if _active_members(program, user_id=asker.pk) >= program.mentee_limit:
        return Conflict("You already have as many peer partners as the program allows.", code="mentee_full")
    if _active_members(program, user_id=peer.pk) >= program.mentee_limit:
        return Conflict(f"{peer} already has as many peer partners as the program allows.", code="peer_full")
    if origin == MentorshipRequest.Origin.SELF:
        withdrawn = (
            between.filter(mentee=asker, status=Status.WITHDRAWN, close_reason="", responded_at__isnull=False)
            .order_by("-responded_at")
            .values_list("responded_at", flat=True)
            .first()
        )
        cooldown = dt.timedelta(hours=settings.REQUEST_COOLDOWN_HOURS)
        if withdrawn and (ends := withdrawn + cooldown) > timezone.now():
            return Conflict(
                f"You withdrew a request to {peer} recently; you can ask again after "
                f"{timezone.localtime(ends):%Y-%m-%d %H:%M %Z}.",
                code="request_cooldown",
                retry_after=ends.isoformat(),
            )
    return None


def request_refusal(*, mentee: User, seat: Membership, origin: str = MentorshipRequest.Origin.SELF) -> Conflict | None:
    """Why this mentee may not ask this mentor in the seat's program now, or None. The API answers it as a 409;
    the mentor's page shows it beside a disabled button. `seat` comes from selectors.mentor_seats() or
    mentor_directory() (`open_slots`)."""
    mentor, program = seat.user, seat.program
    standing = mentee_standing(mentee_id=mentee.pk, mentor_id=mentor.pk, program=program)
    if standing.pending_request:
        return Conflict(f"You already have a pending request with {mentor}.", code="request_pending")
    if standing.mentored:
        return Conflict(f"{mentor} is already your mentor.", code="already_mentored")
    if standing.active_mentorships >= program.mentee_limit:
        return Conflict("You already have as many active mentorships as the program allows.", code="mentee_full")
    if origin == MentorshipRequest.Origin.SELF:
        # Each request emails the mentor: asking and withdrawing in turn would flood them.
        cooldown = dt.timedelta(hours=settings.REQUEST_COOLDOWN_HOURS)
        if standing.last_withdrawn_at and (ends := standing.last_withdrawn_at + cooldown) > timezone.now():
            return Conflict(
                f"You withdrew a request to {mentor} recently; you can ask again after "
                f"{timezone.localtime(ends):%Y-%m-%d %H:%M %Z}.",
                code="request_cooldown",
                retry_after=ends.isoformat(),
            )
        if not seat.accepting_requests:
            return Conflict(f"{mentor} is not accepting requests at the moment.", code="not_accepting")
        if seat.open_slots <= 0:
            return Conflict(f"{mentor} has no open slot at the moment.", code="mentor_full")
    return None


def _lock_request(request_id: int) -> MentorshipRequest:
    return MentorshipRequest.objects.select_for_update().get(pk=request_id)


def _lock_membership(*, user_id: int, program_id: int, role: str) -> Membership | None:
    return Membership.objects.select_for_update().filter(user_id=user_id, program_id=program_id, role=role).first()


def _require_pending(request: MentorshipRequest, action: str) -> None:
    if request.status != Status.PENDING:
        raise Conflict(f"This request is {request.status}; only a pending request can be {action}.", code="not_pending")
    if request.expires_at <= timezone.now():
        raise Conflict(f"This request expired on {request.expires_at:%Y-%m-%d}.", code="expired")


@transaction.atomic
def request_accept(*, request_id: int, by: User) -> MentorshipRequest:
    """The person asked accepts: the mentorship starts in the request's program and format (a one-on-one, a place
    in the mentor's circle, a peer pair), within the mentor's capacity there and the program's limit per person.
    A match round's peer proposal needs both peers' yes: the first one is recorded and the request stays pending.
    Returns the request, with `mentorship` once it started."""
    # Locks in one order for every accept: the memberships (the mentor's, then the mentee's; two peers' by user
    # id), then requests. A request's people and program never change, so reading them before the locks is safe;
    # locking the request first would deadlock against an accept for the same person closing this very request.
    people = (
        MentorshipRequest.objects.filter(pk=request_id)
        .values("mentor_id", "mentee_id", "program_id", "program__format", "origin")
        .first()
    )
    if people is None:
        raise PermissionDenied("Only the person asked can accept this request.")
    if people["program__format"] == Program.Format.PEER:
        return _peer_accept(people, request_id=request_id, by=by)
    if people["mentor_id"] != by.pk:
        raise PermissionDenied("Only the mentor who received this request can accept it.")
    seat = _lock_membership(user_id=by.pk, program_id=people["program_id"], role=Role.MENTOR)
    if seat is None or not seat.is_active or not by.is_active:
        raise PermissionDenied("Only an active mentor of the program can accept its requests.")
    mentee_membership = _lock_membership(user_id=people["mentee_id"], program_id=people["program_id"], role=Role.MENTEE)
    request = _lock_request(request_id)
    _require_pending(request, "accepted")
    if mentee_membership is None or not mentee_membership.is_active:
        raise Conflict("This mentee is no longer in the program.", code="mentee_inactive")
    program = request.program

    held = _active_members(program, mentor_id=by.pk) + mentor_offers_held(
        mentor_id=by.pk, program=program, excluding_request_id=request.pk
    )
    if held >= seat.capacity:
        noun = "circle members" if program.format == Program.Format.GROUP else "mentees"
        raise Conflict(
            f"You are at capacity ({seat.capacity} {noun}). Complete a mentorship or raise your capacity first.",
            code="mentor_full",
        )
    mentee_active = _active_members(program, user_id=request.mentee_id)
    if mentee_active >= program.mentee_limit:
        raise Conflict("This mentee already has as many mentors as the program allows.", code="mentee_full")
    return _request_accepted(
        request, mentee_ids=[request.mentee_id], limits_reached=mentee_active + 1 >= program.mentee_limit
    )


def _active_members(program: Program, **who) -> int:
    """How many active member rows of `program` name `who` (`mentor_id=`: whom a mentor mentors; `user_id=`: the
    mentorships a person is in)."""
    return MentorshipMember.objects.active().in_program(program).filter(**who).count()


def _request_accepted(request: MentorshipRequest, *, mentee_ids: list[int], limits_reached: bool | list[bool]):
    now = timezone.now()
    mentorship_start(request=request, now=now)
    request.status = Status.ACCEPTED
    request.responded_at = now
    request.save(update_fields=["status", "responded_at", "recipient_accepted_at", "sender_accepted_at", "updated_at"])
    notify_request(request, "accepted")
    directory_changed()  # a slot taken
    reached = limits_reached if isinstance(limits_reached, list) else [limits_reached]
    for person_id, full in zip(mentee_ids, reached, strict=True):
        if full:
            _close_other_requests(person_id=person_id, program=request.program, now=now)
    return request


def _peer_accept(people: dict, *, request_id: int, by: User) -> MentorshipRequest:
    """A peer request: the peer asked accepts it; a round's proposal needs both peers' yes."""
    program_id = people["program_id"]
    sides = {people["mentee_id"]: "sender", people["mentor_id"]: "recipient"}
    side = sides.get(by.pk)
    round_offer = people["origin"] == MentorshipRequest.Origin.MATCH_ROUND
    if side is None or (side == "sender" and not round_offer):
        raise PermissionDenied("Only the peer asked can accept this request.")
    seats = [_lock_membership(user_id=pk, program_id=program_id, role=Role.PEER) for pk in sorted(sides)]
    request = _lock_request(request_id)
    _require_pending(request, "accepted")
    if any(seat is None or not seat.is_active for seat in seats):
        raise Conflict("One of you is no longer in the program.", code="mentee_inactive")
    program = request.program
    counts = [_active_members(program, user_id=pk) for pk in sorted(sides)]
    full = {pk for pk, n in zip(sorted(sides), counts, strict=True) if n >= program.mentee_limit}
    if by.pk in full:  # the codes of a request sent: oneself full, the other peer full
        raise Conflict("You already have as many peer partners as the program allows.", code="mentee_full")
    if full:
        other = request.mentee if side == "recipient" else request.mentor
        raise Conflict(f"{other} already has as many peer partners as the program allows.", code="peer_full")
    if peers_paired(program=program, a=people["mentee_id"], b=people["mentor_id"]):
        raise Conflict("You are already peer partners.", code="already_paired")
    now = timezone.now()
    if getattr(request, f"{side}_accepted_at") is None:  # a second click keeps the first yes
        setattr(request, f"{side}_accepted_at", now)
    if round_offer and not (request.sender_accepted_at and request.recipient_accepted_at):
        request.save(update_fields=[f"{side}_accepted_at", "updated_at"])
        return request  # waiting for the other peer's yes
    accepted = _request_accepted(
        request, mentee_ids=sorted(sides), limits_reached=[n + 1 >= program.mentee_limit for n in counts]
    )
    _crossing_request_close(accepted)
    return accepted


def _crossing_request_close(request: MentorshipRequest) -> None:
    """Two peers who asked each other are paired by one request: the other one, now moot, closes (both know: no
    email). Left pending, it would answer `already_paired` to whoever accepted it, and hold a round's slot."""
    crossing = list(
        MentorshipRequest.objects.pending()
        .in_program(request.program)
        .select_for_update()
        .filter(mentee_id=request.mentor_id, mentor_id=request.mentee_id)
    )
    for other in crossing:
        other.status = Status.WITHDRAWN
        other.close_reason = MentorshipRequest.CloseReason.MENTEE_MATCHED
        other.responded_at = other.updated_at = request.responded_at
    MentorshipRequest.objects.bulk_update(crossing, ["status", "close_reason", "responded_at", "updated_at"])
    _offers_answered(crossing)


def peers_paired(*, program: Program, a: int, b: int) -> bool:
    """Whether two peers are partners now in `program`."""
    return (
        MentorshipMember.objects.active()
        .in_program(program)
        .filter(user_id=a, mentorship__members__user_id=b, mentorship__members__status=MentorshipMember.Status.ACTIVE)
        .exists()
    )


def _close_other_requests(*, person_id: int, program: Program, now: dt.datetime) -> None:
    """The person has all the mentors (or peer partners) they may have in `program`: the other pending requests
    they sent there close (those in other programs stay), and the people asked are told. (A peer's requests
    received stay: answering one now is refused with `mentee_full`, and the sender sees why.)"""
    others = list(
        MentorshipRequest.objects.pending().in_program(program).select_for_update().filter(mentee_id=person_id)
    )
    for other in others:
        other.status = Status.WITHDRAWN
        other.close_reason = MentorshipRequest.CloseReason.MENTEE_MATCHED
        other.responded_at = other.updated_at = now
    MentorshipRequest.objects.bulk_update(others, ["status", "close_reason", "responded_at", "updated_at"])
    for other in others:
        notify_request(other, "closed")
    _offers_answered(others)


@transaction.atomic
def request_decline(*, request_id: int, by: User, reason: str = "", note: str = "") -> MentorshipRequest:
    """The person asked says no; a round's peer proposal is declined by either peer, which frees both."""
    request = _lock_request(request_id)
    may = {request.mentor_id}
    if request.origin == MentorshipRequest.Origin.MATCH_ROUND and request.program.format == Program.Format.PEER:
        may.add(request.mentee_id)
    if by.pk not in may:
        raise PermissionDenied("Only the person asked can decline this request.")
    _require_pending(request, "declined")
    request.status = Status.DECLINED
    request.decline_reason = reason
    request.decline_note = note
    request.responded_at = timezone.now()
    request.full_clean(validate_constraints=False)
    request.save(update_fields=["status", "decline_reason", "decline_note", "responded_at", "updated_at"])
    notify_request(request, "declined_by_sender" if by.pk == request.mentee_id else "declined")
    _offers_answered([request])
    return request


@transaction.atomic
def request_withdraw(*, request_id: int, mentee: User) -> MentorshipRequest:
    request = _lock_request(request_id)
    if request.mentee_id != mentee.pk:
        raise PermissionDenied("Only the mentee who sent this request can withdraw it.")
    _require_pending(request, "withdrawn")
    request.status = Status.WITHDRAWN
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at", "updated_at"])
    _offers_answered([request])
    return request


@transaction.atomic
def requests_expire(*, now: dt.datetime | None = None) -> int:
    """Expire the pending requests whose time is up; tell both people. Returns how many expired."""
    now = now or timezone.now()
    due = list(MentorshipRequest.objects.pending().filter(expires_at__lte=now).select_for_update(skip_locked=True))
    for request in due:
        request.status = Status.EXPIRED
        request.responded_at = request.updated_at = now
    MentorshipRequest.objects.bulk_update(due, ["status", "responded_at", "updated_at"])
    for request in due:
        notify_request(request, "expired")
    _offers_answered(due)
    return len(due)


def _offers_answered(requests: list[MentorshipRequest]) -> None:
    """A match-round offer that is no longer pending frees the slot it held."""
    if any(r.origin == MentorshipRequest.Origin.MATCH_ROUND for r in requests):
        directory_changed()


# --- Notifications ----------------------------------------------------------------------------------------

NOTIFICATIONS = {
    # kind: (who is told, subject); {what} is what was asked in the program's format (REQUEST_WORDS)
    "received": (("mentor",), "New {what} from {mentee}"),
    "accepted": (("mentee",), "{mentor} accepted your {what}"),
    "declined": (("mentee",), "{mentor} declined your {what}"),
    # A match round's peer proposal declined by the peer it names first (`mentee`): the other one is told.
    "declined_by_sender": (("mentor",), "{mentee} declined the proposal to pair up"),
    "expired": (("mentee", "mentor"), "A {what} between {mentee} and {mentor} expired"),
    "closed": (("mentor",), "{mentee} {found}: their request to you is closed"),
}
REQUEST_WORDS = {  # format: (what was asked, what closes the other requests of the one who asked)
    Program.Format.ONE_ON_ONE: ("mentorship request", "found a mentor"),
    Program.Format.GROUP: ("request to join a circle", "joined another circle"),
    Program.Format.PEER: ("request to pair up", "paired up with someone else"),
}


def notify_request(request: MentorshipRequest, kind: str) -> None:
    """Tell the people concerned (kinds: NOTIFICATIONS): a notice in their inbox in this transaction, the email
    after it commits (or in their digest, as they chose)."""
    request_notification_send(request=request, kind=kind)


def _request_link(request: MentorshipRequest, kind: str, role: str) -> str:
    """Where the notice points its reader: an accepted request to the mentorship it began; a request that ended
    without one to where the one who asked finds someone else; anything else to the requests page."""
    if kind == "accepted":
        mentorship_id = request.members.order_by("id").values_list("mentorship_id", flat=True).first()
        if mentorship_id is not None:
            return reverse("mentorship-page", kwargs={"mentorship_id": mentorship_id})
    asker_left_without = (kind == "declined" and role == "mentee") or kind == "declined_by_sender"
    if asker_left_without or (kind == "expired" and role == "mentee"):
        if request.program.format == Program.Format.PEER:
            return reverse("peer-directory", kwargs={"program": request.program.slug})
        return reverse("program-mentor-directory", kwargs={"program": request.program.slug})
    return reverse("request-list-page")


def request_notices(request: MentorshipRequest, kind: str) -> list[dict]:
    """What each person concerned is told of the request's `kind` of news (NOTIFICATIONS): notify()'s arguments."""
    recipients, subject = NOTIFICATIONS[kind]
    program_format = request.program.format
    what, found = REQUEST_WORDS[program_format]
    notices = []
    for role in recipients:
        person = getattr(request, role)
        context = {
            "request": request,
            "recipient": person,
            "kind": kind,
            "what": what,
            "circle": program_format == Program.Format.GROUP,
            "peer": program_format == Program.Format.PEER,
        }
        notices.append(
            {
                "recipient_id": person.pk,
                "kind": "request",
                "subject": subject.format(mentee=request.mentee, mentor=request.mentor, what=what, found=found),
                "template": f"emails/request_{kind}.txt",
                "context": context,
                "link": _request_link(request, kind, role),
            }
        )
    return notices


def request_notification_send(*, request: MentorshipRequest, kind: str) -> None:
    for notice in request_notices(request, kind):
        notify(**notice)
