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
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import User
from accounts.taxonomy import TaxonomyRef, skills_assign
from config.errors import Conflict
from config.tasks import task_send
from mentorship import tasks
from mentorship.models import Feedback, Goal, Mentorship, MentorshipRequest, Milestone, Session
from mentorship.selectors import mentee_standing, mentor_offers_held, mentor_seats
from programs.models import Membership, Program
from programs.selectors import memberships_of, program_default, roles_in
from programs.services import program_require_open

Status = MentorshipRequest.Status
Role = Membership.Role
# Who sets goals of their own: people who are mentored somewhere (a mentee, or a peer of a peer program).
MENTORED_ROLES = (Role.MENTEE, Role.PEER)


# --- Goals and milestones ---------------------------------------------------------------------------------


def _own_goals(*, mentee: User, goal_ids: Iterable[int], field: str = "goals") -> list[Goal]:
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
) -> Goal:
    if not any(m.role in MENTORED_ROLES and m.is_active for m in memberships_of(mentee)):
        raise PermissionDenied("Only people who are mentored in a program set goals.")
    if target_date is not None and target_date < timezone.localdate():
        raise ValidationError({"target_date": ["A new goal's target date cannot be in the past."]})
    goal = Goal(mentee=mentee, title=title, description=description, target_date=target_date, status=status)
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
    *, goal: Goal, user: User, title: str, due_date: dt.date | None = None, done: bool = False
) -> Milestone:
    _require_owner(goal, user)
    milestone = Milestone(
        goal=goal, title=title, due_date=due_date, done=done, done_at=timezone.now() if done else None
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, user: User, changes: dict) -> Milestone:
    _require_owner(milestone.goal, user)
    changes = dict(changes)
    if "done" in changes and changes["done"] != milestone.done:
        changes["done_at"] = timezone.now() if changes["done"] else None
    for name, value in changes.items():
        setattr(milestone, name, value)
    milestone.full_clean()
    if changes:
        milestone.save(update_fields=[*changes, "updated_at"])
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, user: User) -> None:
    _require_owner(milestone.goal, user)
    milestone.delete()


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
    if Role.MENTEE not in roles_in(mentee, program):
        raise PermissionDenied(f"Only mentees of {program} send mentorship requests there.")
    if mentor_id == mentee.pk:
        raise ValidationError({"mentor": ["You cannot ask yourself."]})
    seat = mentor_seats(program).filter(user_id=mentor_id).first()
    if seat is None:
        raise ValidationError({"mentor": [f"No mentor with id {mentor_id} in {program}."]})
    program_require_open(program, action="requests")
    mentor = seat.user
    goals = _own_goals(mentee=mentee, goal_ids=goal_ids)
    refusal = request_refusal(mentee=mentee, seat=seat, origin=origin)
    if refusal:
        raise refusal

    request = MentorshipRequest(
        program=program,
        mentee=mentee,
        mentor=mentor,
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
        raise Conflict(f"You already have a pending request with {mentor}.", code="request_pending") from None
    request.goals.set(goals)
    notify_request(request, "received")
    return request


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
def request_accept(*, request_id: int, mentor: User) -> Mentorship:
    """The mentor accepts: a mentorship begins in the request's program, within the mentor's capacity there and
    the program's mentee limit."""
    # Locks in one order for every accept: the mentor's membership, the mentee's, then requests. A request's
    # people and program never change, so reading them before the locks is safe; locking the request first would
    # deadlock against an accept for the same mentee that is closing this very request.
    people = MentorshipRequest.objects.filter(pk=request_id).values("mentor_id", "mentee_id", "program_id").first()
    if people is None or people["mentor_id"] != mentor.pk:
        raise PermissionDenied("Only the mentor who received this request can accept it.")
    seat = _lock_membership(user_id=mentor.pk, program_id=people["program_id"], role=Role.MENTOR)
    if seat is None or not seat.is_active or not mentor.is_active:
        raise PermissionDenied("Only an active mentor of the program can accept its requests.")
    mentee_membership = _lock_membership(user_id=people["mentee_id"], program_id=people["program_id"], role=Role.MENTEE)
    request = _lock_request(request_id)
    _require_pending(request, "accepted")
    if mentee_membership is None or not mentee_membership.is_active:
        raise Conflict("This mentee is no longer in the program.", code="mentee_inactive")
    program = request.program

    held = Mentorship.objects.active().in_program(program).filter(mentor=mentor).count() + mentor_offers_held(
        mentor_id=mentor.pk, program=program, excluding_request_id=request.pk
    )
    if held >= seat.capacity:
        raise Conflict(
            f"You are at capacity ({seat.capacity} mentee{'s' if seat.capacity != 1 else ''}). "
            "Complete a mentorship or raise your capacity first.",
            code="mentor_full",
        )
    mentee_active = Mentorship.objects.active().in_program(program).filter(mentee_id=request.mentee_id).count()
    if mentee_active >= program.mentee_limit:
        raise Conflict("This mentee already has as many mentors as the program allows.", code="mentee_full")

    now = timezone.now()
    mentorship = Mentorship.objects.create(
        program=program, mentee_id=request.mentee_id, mentor=mentor, request=request, started_at=now
    )
    request.status = Status.ACCEPTED
    request.responded_at = now
    request.save(update_fields=["status", "responded_at", "updated_at"])
    notify_request(request, "accepted")
    directory_changed()  # a slot taken

    if mentee_active + 1 >= program.mentee_limit:
        _close_other_requests(mentee_id=request.mentee_id, program=program, now=now)
    return mentorship


def _close_other_requests(*, mentee_id: int, program: Program, now: dt.datetime) -> None:
    """The mentee has all the mentors they may have in `program`: their other pending requests there close (those
    in other programs stay), and those mentors are told."""
    others = list(
        MentorshipRequest.objects.pending().in_program(program).select_for_update().filter(mentee_id=mentee_id)
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
def request_decline(*, request_id: int, mentor: User, reason: str = "", note: str = "") -> MentorshipRequest:
    request = _lock_request(request_id)
    if request.mentor_id != mentor.pk:
        raise PermissionDenied("Only the mentor who received this request can decline it.")
    _require_pending(request, "declined")
    request.status = Status.DECLINED
    request.decline_reason = reason
    request.decline_note = note
    request.responded_at = timezone.now()
    request.full_clean(validate_constraints=False)
    request.save(update_fields=["status", "decline_reason", "decline_note", "responded_at", "updated_at"])
    notify_request(request, "declined")
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


# --- Mentorships, sessions, feedback ----------------------------------------------------------------------


@transaction.atomic
def mentorship_complete(*, mentorship_id: int, user: User) -> Mentorship:
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship_id)
    if user.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise PermissionDenied("Only the mentor or the mentee can complete a mentorship.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise Conflict("This mentorship is already completed.", code="not_active")
    mentorship.status = Mentorship.Status.COMPLETED
    mentorship.ended_at = timezone.now()
    mentorship.ended_by = user
    mentorship.save(update_fields=["status", "ended_at", "ended_by", "updated_at"])
    directory_changed()  # a slot freed
    return mentorship


@transaction.atomic
def session_log(
    *,
    mentorship: Mentorship,
    mentor: User,
    date: dt.date,
    duration_minutes: int,
    notes: str = "",
    topics: Iterable[str] = (),
    goal_ids: Iterable[int] = (),
) -> Session:
    if mentorship.mentor_id != mentor.pk:
        raise PermissionDenied("Only the mentor logs sessions.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise Conflict("This mentorship is completed; it takes no new sessions.", code="not_active")
    if date > timezone.localdate():
        raise ValidationError({"date": ["A session cannot be logged for a date in the future."]})
    if date < timezone.localtime(mentorship.started_at).date():
        raise ValidationError({"date": ["This date is before the mentorship started."]})
    goals = _own_goals(mentee=mentorship.mentee, goal_ids=goal_ids)
    session = Session(
        mentorship=mentorship,
        date=date,
        duration_minutes=duration_minutes,
        notes=notes,
        topics=list(dict.fromkeys(topics)),
    )
    session.full_clean()
    session.save()
    session.goals.set(goals)
    return session


@transaction.atomic
def feedback_give(*, session: Session, mentee: User, rating: int, comment: str = "") -> Feedback:
    if session.mentorship.mentee_id != mentee.pk:
        raise PermissionDenied("Only the mentee rates a session.")
    feedback = Feedback(session=session, rating=rating, comment=comment)
    feedback.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise Conflict("You have already rated this session.", code="already_rated") from None
    return feedback


# --- Notifications ----------------------------------------------------------------------------------------

NOTIFICATIONS = {
    # kind: (who is told, subject)
    "received": (("mentor",), "New mentorship request from {mentee}"),
    "accepted": (("mentee",), "{mentor} accepted your mentorship request"),
    "declined": (("mentee",), "{mentor} declined your mentorship request"),
    "expired": (("mentee", "mentor"), "A mentorship request between {mentee} and {mentor} expired"),
    "closed": (("mentor",), "{mentee} found a mentor: their request to you is closed"),
}


def notify_request(request: MentorshipRequest, kind: str) -> None:
    """Email the people concerned once the transaction commits (kinds: NOTIFICATIONS)."""
    request_id = request.pk
    transaction.on_commit(lambda: task_send(tasks.send_request_notification, request_id, kind, required=False))


def request_notification_send(*, request: MentorshipRequest, kind: str) -> None:
    recipients, subject = NOTIFICATIONS[kind]
    for role in recipients:
        person = getattr(request, role)
        context = {"request": request, "recipient": person, "kind": kind}
        person.email_user(
            subject.format(mentee=request.mentee, mentor=request.mentor),
            render_to_string(f"emails/request_{kind}.txt", context),
        )
