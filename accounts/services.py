"""Every write to accounts and profiles (the taxonomy's are in accounts.taxonomy). Views, commands and tasks call
these."""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts import tasks
from accounts.models import EmailChange, Industry, MenteeProfile, MentorProfile, SignUp, User
from accounts.taxonomy import skills_assign, taxonomy_resolve
from config.errors import Conflict
from config.tasks import task_send
from mentorship.directory import directory_changed


def _mail(*, to: str, subject: str, template: str, context: dict) -> None:
    send_mail(subject=subject, message=render_to_string(template, context), from_email=None, recipient_list=[to])


SIGNUP_STARTED = "Check your email: we sent a link to finish signing up."
SIGNUP_LINK_INVALID = "This link is invalid or has expired. Sign up again."
USERNAME_TAKEN = "That username is taken. Choose another."
EMAIL_REGISTERED = (
    "An account with this email address already exists. Sign in, or reset your password if you have forgotten it."
)


@transaction.atomic
def signup_start(*, username: str, email: str, password: str, role: str, full_name: str, site_url: str) -> None:
    """Begin a self-registration. It ends the same way whoever is registered, so that signing up cannot tell
    anyone whether an address or a username is in use: the address gets an email, and only its owner learns more.

    A new address gets a pending sign-up and a link to /signup/confirm/<token>/ (no account yet); an address
    that already has an account gets an email saying so, with links to sign in and to reset the password. Both
    ways hash the password and queue one email after commit, so that the time taken tells them apart little.
    `site_url` ("https://host") starts the links in the email.
    """
    if role not in User.Role.values:
        raise ValidationError({"role": [f'"{role}" is not a role one can sign up for.']})
    person = User(username=username, email=email, full_name=full_name, role=role)
    person.clean()  # the username and address as the account would hold them
    try:
        validate_password(password, user=person)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    password_hash = make_password(password)
    token = secrets.token_urlsafe(32)

    account_id = User.objects.filter(email__iexact=person.email).values_list("pk", flat=True).first()
    if account_id is not None:
        transaction.on_commit(
            lambda: task_send(tasks.send_signup_existing_account_email, account_id, site_url, required=False)
        )
        return

    signup = SignUp(
        email=person.email,
        username=person.username,
        full_name=full_name,
        role=role,
        password=password_hash,
        token_digest=SignUp.digest_of(token),
    )
    signup.full_clean()
    signup.save()
    transaction.on_commit(
        lambda: task_send(tasks.send_signup_confirmation_email, signup.pk, token, site_url, required=False)
    )


def _check_signup_identity(user: User) -> None:
    """Whoever confirms holds the emailed link, so owns the address: telling them what is taken is safe now."""
    if User.objects.filter(email__iexact=user.email).exists():
        raise Conflict(EMAIL_REGISTERED, code="email_registered")
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": [USERNAME_TAKEN]})


@transaction.atomic
def signup_confirm(*, token: str, username: str | None = None) -> User:
    """Create the account of the pending sign-up an emailed link names: a mentee or mentor with an empty profile
    and the password typed at sign-up. `username` replaces the one chosen then (when it was taken meanwhile).

    The link works once: the sign-up, and any other of the same address, is gone with the account's creation.
    A taken username is a 400 (the same link may try another); an address that meanwhile has an account a 409.
    """
    signup = SignUp.objects.valid().for_token(token).select_for_update().first()
    if signup is None:  # unknown, expired, or used (a racing confirmation of the same link waits here, then this)
        raise ValidationError({"token": [SIGNUP_LINK_INVALID]})

    user = User(
        username=username or signup.username,
        email=signup.email,
        full_name=signup.full_name,
        role=signup.role,
        password=signup.password,
    )
    user.clean()
    _check_signup_identity(user)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a confirmation racing for the same username or address committed first
        _check_signup_identity(user)
        raise

    profile_model = MentorProfile if user.is_mentor else MenteeProfile
    profile_model.objects.create(user=user)
    if user.is_mentor:
        directory_changed()  # a new mentor to list
    SignUp.objects.filter(email__iexact=signup.email).delete()

    transaction.on_commit(lambda: task_send(tasks.send_welcome_email, user.pk, required=False))
    return user


def signup_send_confirmation_email(*, signup: SignUp, token: str, site_url: str) -> None:
    context = {
        "signup": signup,
        "link": site_url + reverse("signup-confirm", kwargs={"token": token}),
        "hours": settings.SIGNUP_CONFIRM_HOURS,
    }
    _mail(
        to=signup.email,
        subject="Finish signing up to the mentorship program",
        template="emails/signup_confirm.txt",
        context=context,
    )


def signup_send_existing_account_email(*, user: User, site_url: str) -> None:
    context = {
        "user": user,
        "sign_in_link": site_url + reverse("login"),
        "reset_link": site_url + reverse("password_reset"),
    }
    _mail(
        to=user.email,
        subject="You already have a mentorship account",
        template="emails/signup_existing_account.txt",
        context=context,
    )


@transaction.atomic
def profile_update(*, user: User, changes: dict, site_url: str) -> User:
    """Change one's account (`full_name`, `email`) and role profile; skills and industry by name or id (a new
    skill name is the person's suggestion, an unknown industry a 400: see accounts.taxonomy).

    A new `email` is not the account's yet: it is asked for (see email_change_start), and the account keeps its
    address until the link emailed to the new one is followed. The same address in another case changes nothing.
    """
    changes = dict(changes)
    email = changes.pop("email", None)
    if email is not None and email.lower() != user.email.lower():
        email_change_start(user=user, email=email, site_url=site_url)

    account = {name: changes.pop(name) for name in ("full_name",) if name in changes}
    for name, value in account.items():
        setattr(user, name, value)
    if account:
        user.full_clean(exclude=["password"])
        user.save(update_fields=[*account])

    profile = changes
    if user.is_mentor and (account or profile):
        directory_changed()  # the mentor directory shows the account's name and the whole profile (not the email)
    if not profile:
        return user
    role_profile = user.profile
    if role_profile is None:
        raise ValidationError({name: ["Program admins have no participant profile."] for name in profile})

    skills = profile.pop("skills", None)
    if profile.get("industry") is not None:
        profile["industry"] = taxonomy_resolve(
            model=Industry, refs=[profile["industry"]], field="industry", person=user
        )[0]
    for name, value in profile.items():
        setattr(role_profile, name, value)
    role_profile.full_clean(exclude=["user"])
    # The skills before the profile's row: the order in which an admin's review of a suggestion takes its locks.
    if skills is not None:
        skills_assign(to=role_profile.skills, refs=skills, person=user)
    if profile or skills is not None:  # readers that cache by `updated_at` must see a change of skills too
        role_profile.save(update_fields=[*profile, "updated_at"])
    return user


EMAIL_CHANGE_LINK_INVALID = "This link is invalid or has expired. Ask for the change again from your profile."
EMAIL_CHANGE_TAKEN = (
    "This address now belongs to another account, so your address was not changed. Ask for the change of another "
    "address from your profile."
)


@transaction.atomic
def email_change_start(*, user: User, email: str, site_url: str) -> EmailChange:
    """Ask for `email` to become `user`'s address. It ends the same way whoever holds the address, so that asking
    cannot tell anyone whether it is registered: a pending change replaces any earlier one (whose link then stops
    working), and after commit the current address is told of the request and the new one gets an email (a link
    to /account/email/confirm/<token>/, or a warning when another account has it; see email_change_send_link).
    `site_url` ("https://host") starts the links in the emails.
    """
    token = secrets.token_urlsafe(32)
    change = EmailChange(
        user=user, email=User.objects.normalize_email(email), token_digest=EmailChange.digest_of(token)
    )
    change.full_clean(exclude=["user"], validate_unique=False)
    # The account's row is the lock: two requests of one person replace the pending change one after the other.
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
    EmailChange.objects.filter(user=user).delete()
    change.save()
    transaction.on_commit(lambda: task_send(tasks.send_email_change_notice, change.pk, site_url, required=False))
    transaction.on_commit(lambda: task_send(tasks.send_email_change_link, change.pk, token, site_url, required=False))
    return change


def _check_email_change_free(change: EmailChange) -> None:
    """Whoever confirms holds the link emailed to the address, so owns it: telling them it is taken is safe now."""
    if User.objects.exclude(pk=change.user_id).filter(email__iexact=change.email).exists():
        raise Conflict(EMAIL_CHANGE_TAKEN, code="email_registered")


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Make the pending change an emailed link names: the account's address becomes the new one. The link works
    once, whoever follows it (holding it proves the address), and not when the address meanwhile belongs to
    another account (a 409; the change stays until it expires, and may be confirmed once the address is free)."""
    invalid = ValidationError({"token": [EMAIL_CHANGE_LINK_INVALID]})
    user_id = EmailChange.objects.valid().for_token(token).values_list("user_id", flat=True).first()
    if user_id is None:  # unknown, expired, replaced by a newer request, or used
        raise invalid
    # The account's row first, then the change's, in the order email_change_start takes them: two transactions
    # about one person's pending change wait for each other instead of deadlocking.
    user = User.objects.select_for_update().get(pk=user_id)
    change = EmailChange.objects.valid().for_token(token).select_for_update().first()
    if change is None:  # a racing confirmation of the same link, or a newer request, came first
        raise invalid

    _check_email_change_free(change)
    # No full_clean: the address was checked when the change was asked, and the rest of the account is untouched.
    user.email = change.email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:  # a confirmation of another account to the same address committed first
        _check_email_change_free(change)
        raise
    change.delete()
    return user


@transaction.atomic
def password_reset_completed(*, user: User) -> None:
    """The owner of the account's address chose a new password through the reset link: they may be taking the
    account back. Whoever had the old password loses what it gave them besides sessions (Django ends those): the
    API tokens stop working, and a pending change of address cannot be finished (as the change's notice promises).
    """
    EmailChange.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()


def signups_purge_expired() -> int:
    """Delete the pending sign-ups whose link no longer works; returns how many. Run hourly by celery beat."""
    deleted, _ = SignUp.objects.expired().delete()
    return deleted


def email_changes_purge_expired() -> int:
    """Delete the pending changes of address whose link no longer works; returns how many. Run hourly too."""
    deleted, _ = EmailChange.objects.expired().delete()
    return deleted


def email_change_send_notice(*, change: EmailChange, site_url: str) -> None:
    """Tell the account's current address that a change was asked: if it was not its owner, someone has their
    password (or session), and a reset through this address (still the account's) takes it back."""
    context = {
        "user": change.user,
        "new_email": change.email,
        "hours": settings.SIGNUP_CONFIRM_HOURS,
        "reset_link": site_url + reverse("password_reset"),
    }
    _mail(
        to=change.user.email,
        subject="A change of your mentorship account's email address was asked",
        template="emails/email_change_notice.txt",
        context=context,
    )


def email_change_send_link(*, change: EmailChange, token: str, site_url: str) -> None:
    """Email the new address the link that confirms the change; or, when the address belongs to another account,
    send its owner a warning instead, which changes nothing and does not say who asked."""
    owner = User.objects.exclude(pk=change.user_id).filter(email__iexact=change.email).first()
    if owner is not None:
        _mail(
            to=owner.email,
            subject="Someone tried to use your email address",
            template="emails/email_change_address_taken.txt",
            context={"owner": owner, "sign_in_link": site_url + reverse("login")},
        )
        return
    context = {
        "change": change,
        "link": site_url + reverse("email-change-confirm", kwargs={"token": token}),
        "hours": settings.SIGNUP_CONFIRM_HOURS,
    }
    _mail(
        to=change.email,
        subject="Confirm your new email address",
        template="emails/email_change_confirm.txt",
        context=context,
    )


def user_send_welcome_email(*, user: User) -> None:
    context = {"user": user}
    _mail(to=user.email, subject="Welcome to the mentorship program", template="emails/welcome.txt", context=context)
