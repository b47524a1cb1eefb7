"""What programs does when accounts says something happened to a person (accounts.signals): accounts stands below
programs and cannot call it. Connected in ProgramsConfig.ready()."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import User
from accounts.signals import mentoring_update_requested, signup_confirmed, signup_requested
from programs.models import Membership, Program
from programs.selectors import (
    membership_in,
    memberships_changed,
    memberships_drop,
    memberships_forget,
    memberships_key,
    program_default,
)
from programs.services import JOINABLE_ROLES, membership_join, membership_update_own, role_require_joinable

log = logging.getLogger(__name__)

UNKNOWN_PROGRAM = "There is no program with this name."
ROLE_NEEDED = "Choose the role to join the program in."


def _program_named(slug: str) -> Program:
    return Program.objects.filter(slug=slug).first() if slug else program_default()


@receiver(signup_requested, dispatch_uid="programs.signup_requested")
def signup_check(sender, *, role: str, program_slug: str, **kwargs) -> None:
    """A sign-up names a program that exists (400 `program`) and a role one joins it in (400 `role`). Whether the
    program takes people who sign up is decided when the account is made: an invite-only one does not."""
    if not role:
        if program_slug:
            raise ValidationError({"role": [ROLE_NEEDED]})
        return
    program = _program_named(program_slug)
    if program is None:
        raise ValidationError({"program": [UNKNOWN_PROGRAM]})
    role_require_joinable(program, role)


@receiver(signup_confirmed, dispatch_uid="programs.signup_confirmed")
def signup_join(sender, *, user: User, role: str, program_slug: str, **kwargs) -> None:
    """The new account joins the program it signed up for, in its role, if anyone may join it now (open
    enrolment, not ended, the role still one it takes); otherwise the account is made and joins nothing."""
    if not role:
        return
    program = _program_named(program_slug)
    if (
        program is None
        or program.enrollment != Program.Enrollment.OPEN
        or program.has_ended()
        or role not in JOINABLE_ROLES[program.format]
    ):
        log.info("Sign-up of %s joins no program (%r as %r)", user, program_slug, role)
        return
    membership_join(user=user, program=program, role=role)


@receiver(mentoring_update_requested, dispatch_uid="programs.mentoring_update_requested")
def mentoring_update(sender, *, user: User, changes: dict, **kwargs) -> None:
    """A person's capacity and accepting flag, from their profile: their mentor membership's in the default
    program (400 naming the field when they are not an active mentor there)."""
    membership = membership_in(user, program_default(), Membership.Role.MENTOR)
    if membership is None:
        raise ValidationError({name: ["Only a mentor of the program sets this, on their profile."] for name in changes})
    membership_update_own(user=user, membership=membership, changes=changes)
    memberships_forget(user)


@receiver(post_save, sender=Membership, dispatch_uid="programs.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="programs.membership_deleted")
def membership_written(sender, instance: Membership, **kwargs) -> None:
    """A membership saved anywhere (a service, the Django admin): its person's kept memberships go."""
    keys = [memberships_key(instance.user_id)]
    memberships_drop(keys)
    transaction.on_commit(lambda: memberships_drop(keys))


@receiver(post_save, sender=Program, dispatch_uid="programs.program_saved")
@receiver(post_delete, sender=Program, dispatch_uid="programs.program_deleted")
def program_written(sender, instance: Program, **kwargs) -> None:
    memberships_changed()  # everyone in it keeps a copy of the program with their memberships
