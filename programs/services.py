"""Every write to programs and memberships, each in one transaction.

A membership's row is what the mentorship services lock before counting a mentor's mentees or a mentee's mentors
in a program, so a change of capacity here takes the same lock and cannot slip between their count and their write.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.directory import directory_changed
from accounts.models import User
from config.errors import Conflict
from programs.models import AdminAction, Membership, Program
from programs.selectors import memberships_forget

Role = Membership.Role
Status = Membership.Status
JOINABLE_ROLES = {
    Program.Format.ONE_ON_ONE: (Role.MENTOR, Role.MENTEE),
    Program.Format.GROUP: (Role.MENTOR, Role.MENTEE),
    Program.Format.PEER: (Role.PEER,),
}


def admin_action_record(
    *, actor: User | None, kind: str, program: Program | None = None, target: str = "", details: dict | None = None
) -> None:
    """What an admin did, written in the caller's transaction (so that it is recorded if and only if it happened)."""
    AdminAction.objects.create(actor=actor, kind=kind, program=program, target=target, details=details or {})


def program_require_open(program: Program, *, action: str) -> None:
    """A cohort past its `ends_on` takes nothing new (409 `program_ended`); its data stays readable."""
    if program.has_ended():
        raise Conflict(
            f"{program} ended on {program.ends_on:%Y-%m-%d}; it takes no new {action}.", code="program_ended"
        )


def role_require_joinable(program: Program, role: str, *, field: str = "role") -> None:
    if role not in JOINABLE_ROLES[program.format]:
        allowed = " or ".join(JOINABLE_ROLES[program.format])
        raise ValidationError({field: [f"In {program} one joins as {allowed}."]})


@transaction.atomic
def membership_create(
    *,
    user: User,
    program: Program,
    role: str,
    status: str = Status.ACTIVE,
    capacity: int | None = None,
    invited_by: User | None = None,
) -> Membership:
    """A new membership (409 `already_member` when `user` already holds `role` in `program`). No enrolment rule is
    checked here: callers decide who may add whom (membership_join for oneself, the admins' services for others)."""
    membership = Membership(user=user, program=program, role=role, status=status, invited_by=invited_by)
    if capacity is not None:
        membership.capacity = capacity
    membership.full_clean(validate_constraints=False, exclude=["user", "program", "invited_by"])
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise Conflict(f"You are already a {role} in {program}.", code="already_member") from None
    memberships_forget(user)
    if role == Role.MENTOR:
        directory_changed()
    return membership


@transaction.atomic
def membership_join(*, user: User, program: Program, role: str, capacity: int | None = None) -> Membership:
    """`user` joins `program` in `role`: 403 when enrolment is closed or by invitation, 409 `program_ended` after a
    cohort, 409 `already_member` when they hold that role there. A mentor waits (`pending`) for an admin's approval
    when the program says so."""
    role_require_joinable(program, role)
    existing = Membership.objects.filter(user=user, program=program, role=role).first()
    if existing is not None and existing.status in (Status.ACTIVE, Status.PENDING, Status.INVITED):
        raise Conflict(f"You are already a {role} in {program}.", code="already_member")
    if program.enrollment != Program.Enrollment.OPEN and not (existing and existing.status == Status.INVITED):
        raise PermissionDenied(
            f"{program} takes new members by invitation only."
            if program.enrollment == Program.Enrollment.INVITE
            else f"{program} is closed to new members."
        )
    program_require_open(program, action="members")
    status = Status.PENDING if role == Role.MENTOR and program.mentor_approval else Status.ACTIVE
    if existing is not None:  # they left before (or were removed and may come back only by invitation)
        if existing.status == Status.REMOVED:
            raise PermissionDenied(f"A program admin removed you from {program}; ask them to invite you again.")
        existing.status = status
        if capacity is not None:
            existing.capacity = capacity
        existing.full_clean(validate_constraints=False, exclude=["user", "program", "invited_by"])
        existing.save(update_fields=["status", "capacity", "updated_at"])
        memberships_forget(user)
        directory_changed()
        return existing
    return membership_create(user=user, program=program, role=role, status=status, capacity=capacity)


@transaction.atomic
def membership_mentoring_update(
    *, membership: Membership, capacity: int | None = None, accepting_requests: bool | None = None
) -> Membership:
    """A mentor's `capacity` and `accepting_requests` in one program. The membership's row is locked first, as the
    mentorship services lock it before counting: a capacity below the mentees the mentor has there now (400
    `capacity`) cannot slip past an accept happening meanwhile."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    fields = []
    if capacity is not None:
        held = locked.program.mentorships.active().filter(mentor_id=locked.user_id).count()
        if capacity < held:
            raise ValidationError(
                {
                    "capacity": [
                        f"You mentor {held} mentee{'s' if held != 1 else ''} in {locked.program} now: complete a "
                        "mentorship before lowering your capacity below that."
                    ]
                }
            )
        locked.capacity = capacity
        fields.append("capacity")
    if accepting_requests is not None:
        locked.accepting_requests = accepting_requests
        fields.append("accepting_requests")
    if fields:
        locked.full_clean(validate_constraints=False, exclude=["user", "program", "invited_by"])
        locked.save(update_fields=[*fields, "updated_at"])
        memberships_forget(locked.user)
        directory_changed()  # the directory shows open slots and who is accepting
    return locked
