"""Every write to accounts and profiles (the taxonomy's are in accounts.taxonomy). Views, commands and tasks call
these."""

import datetime as dt
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts import lockout, signals, tasks
from accounts.directory import directory_changed
from accounts.models import EmailChange, EmailRevert, Industry, Profile, SignUp, User, calendar_secret_new
from accounts.search import profile_search_refresh
from accounts.taxonomy import skills_assign_each, taxonomy_resolve
from config.errors import Conflict
from config.tasks import task_send
from notifications.services import email_send, notify

SIGNUP_STARTED = "Check your email: we sent a link to finish signing up."
SIGNUP_LINK_INVALID = "This link is invalid or has expired. Sign up again."
SIGNUP_PASSWORD_WRONG = "That is not the password you chose when you signed up."
USERNAME_TAKEN = "That username is taken. Choose another."
EMAIL_REGISTERED = (
    "An account with this email address already exists. Sign in, or reset your password if you have forgotten it."
)


SIGNUP_ROLES = ("mentor", "mentee", "peer")  # what one joins a program as by oneself (admins are made by admins)


@transaction.atomic
def signup_start(
    *,
    username: str,
    email: str,
    password: str,
    full_name: str,
    site_url: str,
    role: str = "",
    program: str = "",
) -> None:
    """Begin a self-registration, optionally to join `program` (a slug; the default program when blank) in `role`
    once the account is made (see signup_confirm). It ends the same way whoever is registered, so that signing up
    cannot tell anyone whether an address or a username is in use: the address gets an email, and only its owner
    learns more.

    The whole input is checked first, as the account would hold it (the username NFKC-normalised, which can make
    it longer or bring in characters a username may not have), and only then is the address looked up: a bad
    value is the same 400 whoever has the address.

    A new address gets a pending sign-up and a link to /signup/confirm/<token>/ (no account yet); an address
    that already has an account gets an email saying so, with links to sign in and to reset the password. Both
    ways hash the password and queue one email after commit, so that the time taken tells them apart little.
    `site_url` ("https://host") starts the links in the email. The program is checked by the programs app
    (accounts.signals.signup_requested): one that does not exist is a 400 naming `program`, a role it does not take
    one naming `role`.
    """
    errors: dict[str, list[str]] = {}
    if role and role not in SIGNUP_ROLES:
        errors["role"] = [f'"{role}" is not a role one can sign up for: one of {", ".join(SIGNUP_ROLES)}.']
    else:
        try:
            signals.signup_requested.send(sender=SignUp, role=role, program_slug=program)
        except ValidationError as error:
            errors.update(error.message_dict)
    person = User(username=username, email=email, full_name=full_name)
    person.clean()  # normalises: full_clean() checks the fields before it calls clean(), so it is called first
    try:
        # The account's own fields and rules, but not who else is registered: that would tell.
        person.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        validate_password(password, user=person)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    signup = SignUp(
        email=person.email,
        username=person.username,
        full_name=person.full_name,
        role=role,
        program=program,
        password=make_password(password),
        token_digest=SignUp.digest_of(token),
    )
    signup.full_clean(validate_unique=False)  # the token is new: its digest is unique but for a 2^-256 chance

    account_id = User.objects.filter(email__iexact=person.email).values_list("pk", flat=True).first()
    if account_id is not None:
        transaction.on_commit(
            lambda: task_send(tasks.send_signup_existing_account_email, account_id, site_url, required=False)
        )
        return

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
def signup_confirm(*, token: str, username: str | None = None, password: str | None = None) -> User:
    """Create the account of the pending sign-up an emailed link names, with an empty profile and the password typed
    at sign-up; the account then joins the program and role asked for at sign-up, when that program takes people
    who sign up (accounts.signals.signup_confirmed: an invite-only one does not). `username` replaces the one
    chosen then (when it was taken meanwhile). `password`, when given, must be that password (a 400 otherwise, and
    nothing is created): the caller may then sign the person in, which the link alone must not do (it may be read
    from a log and replayed).

    The link works once: the sign-up, and any other of the same address, is gone with the account's creation.
    A taken username is a 400 (the same link may try another); an address that meanwhile has an account a 409.
    """
    signup = SignUp.objects.valid().for_token(token).select_for_update().first()
    if signup is None:  # unknown, expired, or used (a racing confirmation of the same link waits here, then this)
        raise ValidationError({"token": [SIGNUP_LINK_INVALID]})
    if password is not None and not check_password(password, signup.password):
        raise ValidationError({"password": [SIGNUP_PASSWORD_WRONG]})

    user = User(
        username=username or signup.username,
        email=signup.email,
        full_name=signup.full_name,
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

    signals.signup_confirmed.send(sender=User, user=user, role=signup.role, program_slug=signup.program)
    SignUp.objects.filter(email__iexact=signup.email).delete()

    transaction.on_commit(lambda: task_send(tasks.send_welcome_email, user.pk, required=False))
    return user


def signup_send_confirmation_email(*, signup: SignUp, token: str, site_url: str) -> None:
    context = {
        "signup": signup,
        "joining": signup.role,
        "link": site_url + reverse("signup-confirm", kwargs={"token": token}),
        "hours": settings.SIGNUP_CONFIRM_HOURS,
    }
    email_send(  # no account yet: nobody's inbox
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
    notify(
        recipient_id=user.pk,
        kind="account",
        subject="You already have a mentorship account",
        template="emails/signup_existing_account.txt",
        context=context,
        link=reverse("login"),
    )


MENTORING_FIELDS = ("capacity", "accepting_requests")


# What a directory search reads (accounts.search): a change of one of them recomputes the person's search text.
SEARCHED_FIELDS = {"headline", "bio", "industry", "skills"}


@transaction.atomic
def profile_update(*, user: User, changes: dict, site_url: str) -> User:
    """Change one's account (`full_name`, `email`) and one's profile, both sides: `skills` (what one can teach) and
    `wanted_skills` (what one wants to grow) by name or id, like `industry` (a new skill name is the person's
    suggestion, an unknown industry a 400: see accounts.taxonomy).

    `capacity` and `accepting_requests` are the person's as a mentor of the default program: the programs app sets
    them on that membership (accounts.signals.mentoring_update_requested), or refuses them with a 400 naming the
    field (not a mentor there, or a capacity below the mentees they have).

    A new `email` is not the account's yet: it is asked for with `current_password` (see email_change_start), and
    the account keeps its address until the link emailed to the new one is followed. The same address in another
    case changes nothing and needs no password; nor do the other fields.
    """
    changes = dict(changes)
    email = changes.pop("email", None)
    current_password = changes.pop("current_password", None)
    if email is not None and email.lower() != user.email.lower():
        email_change_start(user=user, email=email, current_password=current_password, site_url=site_url)

    account = {name: changes.pop(name) for name in ("full_name",) if name in changes}
    for name, value in account.items():
        setattr(user, name, value)
    if account:
        user.full_clean(exclude=["password"])
        user.save(update_fields=[*account])

    mentoring = {name: changes.pop(name) for name in MENTORING_FIELDS if name in changes}
    profile = changes
    if (account or profile) and user.memberships.filter(role="mentor").exists():
        directory_changed()  # a directory shows the account's name and the whole profile (not the email)
    searched = bool(account) or bool(SEARCHED_FIELDS & set(profile))
    if profile:
        _profile_save(user=user, changes=profile)
    if searched:
        profile_search_refresh(user_ids=[user.pk])
    if mentoring:
        if not signals.mentoring_update_requested.has_listeners(sender=User):
            raise ValidationError({name: ["This field is not accepted here."] for name in mentoring})
        signals.mentoring_update_requested.send(sender=User, user=user, changes=mentoring)
    return user


@transaction.atomic
def calendar_secret_reset(*, user: User) -> Profile:
    """A new key for the person's calendar feed: the address they gave their calendar before stops working."""
    profile = Profile.objects.select_for_update().get(user=user)
    profile.calendar_secret = calendar_secret_new()
    profile.save(update_fields=["calendar_secret", "updated_at"])
    return profile


def _profile_save(*, user: User, changes: dict) -> Profile:
    profile = Profile.objects.get_or_create(user=user)[0]  # every account has one, but for one made in bulk
    sides = {name: changes.pop(name) for name in ("skills", "wanted_skills") if name in changes}
    if changes.get("industry") is not None:
        changes["industry"] = taxonomy_resolve(
            model=Industry, refs=[changes["industry"]], field="industry", person=user
        )[0]
    for name, value in changes.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user"])
    # The skills before the profile's row: the order in which an admin's review of a suggestion takes its locks.
    if sides:
        skills_assign_each(sides={name: (getattr(profile, name), refs) for name, refs in sides.items()}, person=user)
    # Readers that cache by `updated_at` (the recommendations) must see a change of skills too.
    profile.save(update_fields=[*changes, "updated_at"])
    return profile


EMAIL_CHANGE_LINK_INVALID = "This link is invalid or has expired. Ask for the change again from your profile."
EMAIL_CHANGE_TAKEN = (
    "This address now belongs to another account, so your address was not changed. Ask for the change of another "
    "address from your profile."
)
CURRENT_PASSWORD_MISSING = "Give your current password to change your email address."
CURRENT_PASSWORD_WRONG = "That is not your current password."
EMAIL_REVERT_LINK_INVALID = (
    "This link is invalid or has expired: it works once, for {days} days after the change, and not after the "
    "change was undone."
)
EMAIL_REVERT_TAKEN = (
    "Your old address now belongs to another account, so the change could not be undone. Ask the program team for help."
)


@transaction.atomic
def email_change_start(*, user: User, email: str, current_password: str | None, site_url: str) -> EmailChange:
    """Ask for `email` to become `user`'s address, with the account's current password: a stolen session or API
    token alone cannot move the account to another address (from where a password reset would take it).

    It ends the same way whoever holds the address, so that asking cannot tell anyone whether it is registered: a
    pending change replaces any earlier one (whose link then stops working), and after commit the current address
    is told of the request and the new one gets an email (a link to /account/email/confirm/<token>/, or a warning
    when another account has it; see email_change_send_link). `site_url` ("https://host") starts the links.
    """
    if not current_password:
        raise ValidationError({"current_password": [CURRENT_PASSWORD_MISSING]})
    # The hashers' check, not user.check_password(): that one re-saves an outdated hash, which would end the
    # asker's own session (Django's session check is an HMAC of the hash).
    if not check_password(current_password, user.password):
        raise ValidationError({"current_password": [CURRENT_PASSWORD_WRONG]})
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


def _check_email_free(*, user_id: int, email: str, taken: str) -> None:
    """Whoever follows a link emailed to an address owns it: telling them it is taken is safe now (409, `taken`)."""
    if User.objects.exclude(pk=user_id).filter(email__iexact=email).exists():
        raise Conflict(taken, code="email_registered")


def _email_save(*, user: User, email: str, taken: str) -> None:
    """Give the account `email`, already checked free; a racing change to the same address that committed first
    is the same 409 as one found before."""
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        _check_email_free(user_id=user.pk, email=email, taken=taken)
        raise


@transaction.atomic
def email_change_confirm(*, token: str, site_url: str) -> User:
    """Make the pending change an emailed link names: the account's address becomes the new one. The link works
    once, whoever follows it (holding it proves the address), and not when the address meanwhile belongs to
    another account (a 409; the change stays until it expires, and may be confirmed once the address is free).

    The old address is then sent a link that undoes the change (see email_change_revert), valid EMAIL_REVERT_DAYS:
    if its owner did not make it, they take the account back. `site_url` ("https://host") starts the link."""
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

    _check_email_free(user_id=user.pk, email=change.email, taken=EMAIL_CHANGE_TAKEN)
    old_email = user.email
    # No full_clean: the address was checked when the change was asked, and the rest of the account is untouched.
    _email_save(user=user, email=change.email, taken=EMAIL_CHANGE_TAKEN)
    change.delete()
    if old_email:  # an account made without an address (in the Django admin) has nowhere to send the way back
        revert_token = secrets.token_urlsafe(32)
        # No full_clean either: the address is the one the account had.
        revert = EmailRevert.objects.create(
            user=user, email=old_email, token_digest=EmailRevert.digest_of(revert_token)
        )
        transaction.on_commit(
            lambda: task_send(tasks.send_email_revert_link, revert.pk, revert_token, site_url, required=False)
        )
    return user


@transaction.atomic
def email_change_revert(*, token: str) -> User:
    """Undo a confirmed change of address with the link emailed to the old address: the account gets that address
    back, every session of the account ends and every API token stops (whoever made the change may hold them), and
    a pending change and every other way back are cancelled. The link works once, for EMAIL_REVERT_DAYS, and not
    when the old address meanwhile belongs to another account (a 409; the link then stays until it expires).

    It needs no sign-in and signs no one in: the link is the proof of owning the old address. Whoever made the
    change knew the password, so the page and the email that carry the link say to choose a new one next.
    """
    invalid = ValidationError({"token": [EMAIL_REVERT_LINK_INVALID.format(days=settings.EMAIL_REVERT_DAYS)]})
    user_id = EmailRevert.objects.valid().for_token(token).values_list("user_id", flat=True).first()
    if user_id is None:  # unknown, expired, used, or cancelled by the undoing of another change
        raise invalid
    # The account's row first, as email_change_start and email_change_confirm take it.
    user = User.objects.select_for_update().get(pk=user_id)
    revert = EmailRevert.objects.valid().for_token(token).select_for_update().first()
    if revert is None:  # a racing undoing came first
        raise invalid

    _check_email_free(user_id=user.pk, email=revert.email, taken=EMAIL_REVERT_TAKEN)
    if user.email != revert.email:
        _email_save(user=user, email=revert.email, taken=EMAIL_REVERT_TAKEN)
    EmailChange.objects.filter(user=user).delete()
    EmailRevert.objects.filter(user=user).delete()
    sessions_end_all(user=user)
    api_tokens_revoke_all(user=user)
    return user


def sessions_end_all(*, user: User) -> None:
    """End every session of the account, in every browser and whatever the session engine: each request of a
    session checks the account's session hash, which includes `session_generation` (User.get_session_auth_hash)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def password_reset_completed(*, user: User) -> None:
    """The owner of the account's address chose a new password through the reset link: they may be taking the
    account back. Whoever had the old password loses what it gave them besides sessions (Django ends those): the
    API tokens stop working, and a pending change of address cannot be finished (as the change's notice promises).
    The failed sign-ins of the username are forgotten, so that its owner can sign in with the new password at once
    even if someone had locked the account.
    """
    EmailChange.objects.filter(user=user).delete()
    api_tokens_revoke_all(user=user)
    lockout.username_unlock(username=user.get_username())


def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for one client of `user`, working for API_TOKEN_TTL_HOURS. Returns the stored row and the
    token itself: only the token's digest is stored, so this is the one moment the token can be told."""
    return AuthToken.objects.create(user=user, expiry=dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS))


def api_token_revoke(*, digest: str) -> None:
    """Sign one API client out: the token with this digest (`request.auth` of a token-signed call) stops working."""
    AuthToken.objects.filter(digest=digest).delete()


def api_tokens_revoke_all(*, user: User) -> None:
    """Every API token of `user` stops working: each of their clients must sign in again. The one place that does
    it, whatever the reason (they asked, their password was reset, a change of their address was undone)."""
    AuthToken.objects.filter(user=user).delete()


def sessions_purge_expired() -> None:
    """Delete the sessions past their expiry: every emailed link a browser or a mail scanner opens starts one (its
    token waits there), and Django deletes none by itself. Run hourly."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def api_tokens_purge_expired() -> int:
    """Delete the API tokens past their expiry (they no longer sign anyone in); returns how many. Run hourly."""
    deleted, _ = AuthToken.objects.filter(expiry__lte=timezone.now()).delete()
    return deleted


def signups_purge_expired() -> int:
    """Delete the pending sign-ups whose link no longer works; returns how many. Run hourly by celery beat."""
    deleted, _ = SignUp.objects.expired().delete()
    return deleted


def email_changes_purge_expired() -> int:
    """Delete the pending changes of address whose link no longer works; returns how many. Run hourly too."""
    deleted, _ = EmailChange.objects.expired().delete()
    return deleted


def email_reverts_purge_expired() -> int:
    """Delete the ways back from a change of address whose link no longer works; returns how many. Hourly too."""
    deleted, _ = EmailRevert.objects.expired().delete()
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
    notify(
        recipient_id=change.user_id,
        kind="account",
        subject="A change of your mentorship account's email address was asked",
        template="emails/email_change_notice.txt",
        context=context,
        link=reverse("profile-page"),
        once_key=f"email-change-notice:{change.pk}",  # a retried task tells them once
    )


def email_change_send_link(*, change: EmailChange, token: str, site_url: str) -> None:
    """Email the new address the link that confirms the change; or, when the address belongs to another account,
    send its owner a warning instead, which changes nothing and does not say who asked."""
    owner = User.objects.exclude(pk=change.user_id).filter(email__iexact=change.email).first()
    if owner is not None:
        notify(
            recipient_id=owner.pk,
            kind="account",
            subject="Someone tried to use your email address",
            template="emails/email_change_address_taken.txt",
            context={"owner": owner, "sign_in_link": site_url + reverse("login")},
            link=reverse("profile-page"),
            once_key=f"email-change-taken:{change.pk}",
        )
        return
    context = {
        "change": change,
        "link": site_url + reverse("email-change-confirm", kwargs={"token": token}),
        "hours": settings.SIGNUP_CONFIRM_HOURS,
    }
    email_send(  # not the account's address yet, and the link is a secret no inbox keeps
        to=change.email,
        subject="Confirm your new email address",
        template="emails/email_change_confirm.txt",
        context=context,
    )


def email_change_send_revert_link(*, revert: EmailRevert, token: str, site_url: str) -> None:
    """Tell the old address that the change is made, with the link that undoes it: if it was not its owner,
    someone had the password, and the link takes the account back from them."""
    context = {
        "user": revert.user,
        "new_email": revert.user.email,
        "link": site_url + reverse("email-revert", kwargs={"token": token}),
        "days": settings.EMAIL_REVERT_DAYS,
        "reset_link": site_url + reverse("password_reset"),
    }
    email_send(  # the old address, no longer the account's; the link is a secret no inbox keeps
        to=revert.email,
        subject="The email address of your mentorship account was changed",
        template="emails/email_change_revert.txt",
        context=context,
    )


def user_send_welcome_email(*, user: User) -> None:
    context = {"user": user, "mentoring": user.memberships.filter(role="mentor").exists()}
    notify(
        recipient_id=user.pk,
        kind="account",
        subject="Welcome to the mentorship program",
        template="emails/welcome.txt",
        context=context,
        link=reverse("home"),
        once_key="welcome",  # an account is welcomed once, however often the task runs
    )
