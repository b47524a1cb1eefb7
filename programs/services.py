"""Every write to programs and memberships, each in one transaction.

A membership's row is what the mentorship services lock before counting a mentor's mentees or a mentee's mentors
in a program, so a change of capacity here takes the same lock and cannot slip between their count and their write.
"""

import re
import secrets
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import User
from config.errors import Conflict
from config.tasks import task_send
from notifications.services import email_send, notify
from programs import tasks
from programs.models import INVITATION_DAYS, AdminAction, Invitation, Membership, Program
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


# Programs -------------------------------------------------------------------------------------------------------

PROGRAM_FIELDS = (
    "name",
    "description",
    "format",
    "kind",
    "starts_on",
    "ends_on",
    "enrollment",
    "mentor_approval",
    "session_cadence_days",
    "mentee_limit",
    "request_expiry_days",
    "default_weights",
)


@transaction.atomic
def program_create(*, actor: User, slug: str, **fields) -> Program:
    """A new program (site staff). A slug in use is a 400 naming `slug` (full_clean checks it)."""
    program = Program(slug=slug, **{k: v for k, v in fields.items() if k in PROGRAM_FIELDS})
    program.full_clean()
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:  # a racing creation of the same slug committed first
        raise ValidationError({"slug": ["A program with this slug already exists."]}) from None
    admin_action_record(actor=actor, kind=AdminAction.Kind.PROGRAM_CREATE, program=program, target=str(program))
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, changes: dict) -> Program:
    """Change a program's settings (its admins). The slug stays: links and the flat API's `main` name it."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    changed = {}
    for field, value in changes.items():
        if field in PROGRAM_FIELDS and getattr(program, field) != value:
            setattr(program, field, value)
            changed[field] = value if not hasattr(value, "isoformat") else value.isoformat()
    if not changed:
        return program
    if "format" in changed:
        _format_require_changeable(program)
    program.full_clean()
    program.save()
    admin_action_record(
        actor=actor, kind=AdminAction.Kind.PROGRAM_UPDATE, program=program, target=str(program), details=changed
    )
    directory_changed()  # the directory shows what a program allows (its mentee limit)
    return program


def _format_require_changeable(program: Program) -> None:
    """A program's format (its new value on `program`) is fixed once people were paired or asked there: a
    mentorship keeps the shape it started in, and a pending request is answered in the format it was sent in. Nor
    may it leave members in a role the new format has no place for (mentors and mentees in a peer program)."""
    if program.mentorships.exists() or program.requests.pending().exists():
        raise ValidationError(
            {"format": ["People were paired or asked in this program: its format cannot change any more."]}
        )
    misplaced = (
        program.memberships.exclude(role__in=[Role.ADMIN, *JOINABLE_ROLES[program.format]])
        .exclude(status__in=[Status.LEFT, Status.REMOVED])
        .values_list("role", flat=True)
        .distinct()
    )
    roles = sorted(set(misplaced))
    if roles:
        have = " and ".join(f"{role}s" for role in roles)
        takes = " and ".join(f"{role}s" for role in JOINABLE_ROLES[program.format])
        kind = program.format.replace("_", "-")
        raise ValidationError({"format": [f"This program has {have}; a {kind} program takes {takes}."]})


# Memberships ----------------------------------------------------------------------------------------------------


def _lock(membership: Membership) -> Membership:
    """The membership's row, locked: the mentorship services lock it before counting, and so does a change here."""
    return Membership.objects.select_for_update().select_related("program", "user").get(pk=membership.pk)


def _capacity_set(membership: Membership, capacity: int) -> None:
    """A mentor's capacity in a program, never below the mentorships they hold there (400 `capacity`)."""
    # mentorship's members are counted by name: it imports this app (imports point one way).
    mentored = apps.get_model("mentorship", "MentorshipMember").objects.active()
    active = mentored.filter(program_id=membership.program_id, mentor_id=membership.user_id).count()
    if capacity < active:
        raise ValidationError(
            {"capacity": [f"{membership.user} mentors {active} {'people' if active != 1 else 'person'} here now."]}
        )
    membership.capacity = capacity


def _pending_requests_close(membership: Membership) -> int:
    """The person stops being `membership.role` in its program: the requests waiting on them there close (those
    they sent are withdrawn, those sent to them declined as unavailable). Active mentorships stay as they are."""
    # The program's reverse relations reach mentorship's rows without importing it (imports point one way).
    pending = membership.program.requests.pending()
    now = timezone.now()
    closed = 0
    if membership.role in (Role.MENTEE, Role.PEER):
        closed += pending.filter(mentee_id=membership.user_id).update(
            status="withdrawn", responded_at=now, updated_at=now
        )
    if membership.role in (Role.MENTOR, Role.PEER):
        closed += pending.filter(mentor_id=membership.user_id).update(
            status="declined", decline_reason="unavailable", responded_at=now, updated_at=now
        )
    if closed:
        directory_changed()  # a match-round offer among them held a mentor's slot: the directory shows it free
    return closed


def _membership_save(membership: Membership, fields: list[str]) -> Membership:
    membership.full_clean(validate_constraints=False, exclude=["user", "program", "invited_by"])
    membership.save(update_fields=[*fields, "updated_at"])
    memberships_forget(membership.user)
    if membership.role in (Role.MENTOR, Role.PEER):
        directory_changed()
    return membership


@transaction.atomic
def membership_update_own(*, user: User, membership: Membership, changes: dict) -> Membership:
    """A member changes their own membership: `capacity` and `accepting_requests` (a mentor's), or leaves
    (`status: left`), which closes their pending requests in that program."""
    membership = _lock(membership)
    if membership.user_id != user.pk:
        raise PermissionDenied("This is not your membership.")
    fields = []
    if "capacity" in changes:
        _capacity_set(membership, changes["capacity"])
        fields.append("capacity")
    if "accepting_requests" in changes:
        membership.accepting_requests = changes["accepting_requests"]
        fields.append("accepting_requests")
    if changes.get("status") == Status.LEFT and membership.status != Status.LEFT:
        if membership.status == Status.REMOVED:
            raise PermissionDenied("A program admin removed you from this program.")
        membership.status = Status.LEFT
        fields.append("status")
        _pending_requests_close(membership)
    if fields:
        _membership_save(membership, fields)
    return membership


@transaction.atomic
def membership_update_by_admin(
    *, actor: User, membership: Membership, status: str | None = None, capacity: int | None = None
) -> Membership:
    """A program admin approves (`active`) or removes (`removed`) a member, or changes a mentor's capacity.
    Removing closes the person's pending requests in the program; their active mentorships stay visible. An
    invitation nobody accepted yet cannot be approved (409 `invitation_pending`): its owner has no password."""
    membership = _lock(membership)
    before = {"status": membership.status, "capacity": membership.capacity}
    fields = []
    if capacity is not None and capacity != membership.capacity:
        _capacity_set(membership, capacity)
        fields.append("capacity")
    if status is not None and status != membership.status:
        if status == Status.ACTIVE and membership.status == Status.INVITED:
            raise Conflict(
                f"{membership.user} has not accepted the invitation yet; resend it instead.",
                code="invitation_pending",
            )
        membership.status = status
        fields.append("status")
        if status == Status.REMOVED:
            _pending_requests_close(membership)
            membership.invitations.all().delete()
    if not fields:
        return membership
    _membership_save(membership, fields)
    admin_action_record(
        actor=actor,
        kind=AdminAction.Kind.MEMBER_UPDATE,
        program=membership.program,
        target=str(membership),
        details={"before": before, "after": {"status": membership.status, "capacity": membership.capacity}},
    )
    return membership


# Adding and inviting --------------------------------------------------------------------------------------------


def _username_for(email: str) -> str:
    """A free username made of the address's local part (`ana.lima`, then `ana.lima2`, …)."""
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "member"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _invitation_new(membership: Membership, *, site_url: str) -> Invitation:
    """A fresh link for `membership` (any earlier one stops working), emailed after commit."""
    membership.invitations.all().delete()
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(membership=membership, token_digest=Invitation.digest_of(token))
    transaction.on_commit(
        lambda: task_send(tasks.send_invitation_email, invitation.pk, token, site_url, required=False)
    )
    return invitation


def invitations_send(*, program: Program, user_ids: Iterable[int], site_url: str) -> int:
    """Invite people an import just created (they have no password yet) to `program`: each gets the one-time link
    that sets their password and lands them in the program. Made in bulk, in the caller's transaction; the emails
    leave after commit. How many were invited."""
    memberships = {}
    for membership in Membership.objects.in_program(program).filter(user_id__in=list(user_ids)).order_by("id"):
        memberships.setdefault(membership.user_id, membership)  # one link per person, whatever their roles
    tokens = {membership.pk: secrets.token_urlsafe(32) for membership in memberships.values()}
    Invitation.objects.filter(membership_id__in=tokens).delete()
    invitations = Invitation.objects.bulk_create(
        [Invitation(membership_id=pk, token_digest=Invitation.digest_of(token)) for pk, token in tokens.items()]
    )
    sends = [(invitation.pk, tokens[invitation.membership_id]) for invitation in invitations]

    def send_all() -> None:
        for invitation_id, token in sends:
            task_send(tasks.send_invitation_email, invitation_id, token, site_url, required=False)

    transaction.on_commit(send_all)
    return len(sends)


@transaction.atomic
def member_add(
    *, actor: User, program: Program, email: str, role: str, full_name: str = "", site_url: str
) -> Membership:
    """A program admin adds someone by address. An account that has signed in before joins at once (`active`)
    and is told by email; anyone else is invited: an account without a usable password is made if none exists,
    the membership is `invited`, and the address gets a one-time link to choose a password and land in the
    program. 409 `already_member` when they hold that role there already; 409 `program_ended` after a cohort."""
    program_require_open(program, action="members")
    email = User.objects.normalize_email(email)
    user = User.objects.filter(email__iexact=email).order_by("id").first()
    if user is None:
        user = User(username=_username_for(email), email=email, full_name=full_name or email.split("@")[0])
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    invite = not user.has_usable_password()
    status = Status.INVITED if invite else Status.ACTIVE
    existing = Membership.objects.select_for_update().filter(user=user, program=program, role=role).first()
    if existing is not None:
        if existing.status in (Status.ACTIVE, Status.PENDING, Status.INVITED):
            raise Conflict(f"{user} is already a {role} in {program}.", code="already_member")
        existing.status, existing.invited_by = status, actor
        membership = _membership_save(existing, ["status", "invited_by"])
    else:
        membership = membership_create(user=user, program=program, role=role, status=status, invited_by=actor)
    if invite:
        _invitation_new(membership, site_url=site_url)
    else:
        member_added_send_email(membership=membership, site_url=site_url)  # an inbox row now, the email after commit
    admin_action_record(
        actor=actor,
        kind=AdminAction.Kind.MEMBER_INVITE if invite else AdminAction.Kind.MEMBER_ADD,
        program=program,
        target=str(membership),
        details={"email": email, "role": role},
    )
    return membership


@transaction.atomic
def invitation_resend(*, actor: User, membership: Membership, site_url: str) -> Membership:
    """A new link for an invitation nobody accepted yet (the old one stops working); 409 `not_invited` for a
    membership that is not waiting for its invitation."""
    membership = _lock(membership)
    if membership.status != Status.INVITED:
        raise Conflict(f"{membership.user} is not waiting for an invitation.", code="not_invited")
    _invitation_new(membership, site_url=site_url)
    admin_action_record(
        actor=actor,
        kind=AdminAction.Kind.MEMBER_INVITE,
        program=membership.program,
        target=str(membership),
        details={"resent": True},
    )
    return membership


INVITATION_LINK_INVALID = (
    f"This invitation link is unknown, was already used, or is older than {INVITATION_DAYS} days. Ask the "
    "program's admins to send it again."
)


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> Membership:
    """The invited person follows their link and chooses a password: the account gets it, the membership becomes
    active, and every invitation of theirs is used up. The link works once."""
    invitation = (
        Invitation.objects.valid().for_token(token).select_for_update().select_related("membership__user").first()
    )
    if invitation is None:
        raise ValidationError({"token": [INVITATION_LINK_INVALID]})
    membership = _lock(invitation.membership)
    user = membership.user
    validate_password_for(user, password)
    user.set_password(password)
    user.save(update_fields=["password"])
    membership.status = Status.ACTIVE
    _membership_save(membership, ["status"])
    Invitation.objects.filter(membership__user=user, membership_id=membership.pk).delete()
    return membership


def validate_password_for(user: User, password: str) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


# Emails ---------------------------------------------------------------------------------------------------------


def invitation_send_email(*, invitation: Invitation, token: str, site_url: str) -> None:
    membership = invitation.membership
    context = {
        "membership": membership,
        "program": membership.program,
        "link": site_url + reverse("invitation-link", kwargs={"token": token}),
        "days": INVITATION_DAYS,
    }
    # Not a notice in an inbox: the invited person cannot sign in yet, and the link is a secret no inbox keeps.
    email_send(
        to=membership.user.email,
        subject=f"You are invited to {membership.program}",
        template="emails/program_invitation.txt",
        context=context,
    )


def member_added_send_email(*, membership: Membership, site_url: str) -> None:
    """Tell someone an admin added them to a program: their inbox, and an email as they chose."""
    notify(
        recipient_id=membership.user_id,
        kind="program",
        subject=f"You were added to {membership.program}",
        template="emails/program_member_added.txt",
        context={"membership": membership, "program": membership.program},
        link=reverse("program-page", kwargs={"slug": membership.program.slug}),
        site_url=site_url,
    )
