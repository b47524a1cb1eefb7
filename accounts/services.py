"""Every write to accounts, profiles and the taxonomy. Views, commands and tasks call these."""

import re
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string

from accounts import tasks
from accounts.models import Industry, MenteeProfile, MentorProfile, Skill, TaxonomyTerm, User
from config.tasks import task_send

TaxonomyRef = int | str

_SPACES = re.compile(r"\s+")


def taxonomy_normalise_name(name: str) -> str:
    return _SPACES.sub(" ", name).strip()


def taxonomy_resolve(*, model: type[TaxonomyTerm], refs: Iterable[TaxonomyRef], field: str) -> list[TaxonomyTerm]:
    """Turn ids and names into terms, in the order given and without repeats.

    Ids must exist. Names match whatever their case and are created on first use; a concurrent creation of
    the same name is absorbed by the case-insensitive unique constraint (`ignore_conflicts`), then re-read.
    """
    refs = list(refs)
    ids = {ref for ref in refs if isinstance(ref, int)}
    names = {taxonomy_normalise_name(ref).lower(): taxonomy_normalise_name(ref) for ref in refs if isinstance(ref, str)}

    by_id = model.objects.in_bulk(ids) if ids else {}
    missing_ids = sorted(ids - by_id.keys())
    if missing_ids:
        label = model._meta.verbose_name
        raise ValidationError({field: [f"No {label} with id {i}." for i in missing_ids]})

    by_name: dict[str, TaxonomyTerm] = {}
    if names:
        by_name = _terms_by_lower_name(model, names)
        absent = [display for key, display in names.items() if key not in by_name]
        if absent:
            model.objects.bulk_create([model(name=name) for name in absent], ignore_conflicts=True)
            by_name = _terms_by_lower_name(model, names)

    resolved: list[TaxonomyTerm] = []
    seen: set[int] = set()
    for ref in refs:
        term = by_id[ref] if isinstance(ref, int) else by_name[taxonomy_normalise_name(ref).lower()]
        if term.pk not in seen:
            seen.add(term.pk)
            resolved.append(term)
    return resolved


def _terms_by_lower_name(model: type[TaxonomyTerm], names: dict[str, str]) -> dict[str, TaxonomyTerm]:
    """Existing terms for {lower-case name: name as given}, keyed by Python's lower-case.

    A term is also found by its exact name: SQLite's LOWER() leaves non-ASCII letters alone ("Ärger"), so the
    database's lower-casing must never be what decides the key.
    """
    terms = model.objects.annotate(lower_name=Lower("name")).filter(
        Q(lower_name__in=list(names)) | Q(name__in=list(names.values()))
    )
    return {term.name.lower(): term for term in terms}


def _check_unique_identity(*, username: str | None, email: str | None, exclude_pk: int | None = None) -> None:
    errors: dict[str, list[str]] = {}
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    if username is not None and others.filter(username__iexact=username).exists():
        errors["username"] = ["That username is taken."]
    if email is not None and others.filter(email__iexact=email).exists():
        errors["email"] = ["An account with that email address already exists."]
    if errors:
        raise ValidationError(errors)


def _save_identity(user: User, *, update_fields: list[str] | None = None) -> None:
    """Save, turning a lost race for a username or email (checked just before) into the same 400."""
    try:
        with transaction.atomic():
            user.save(update_fields=update_fields)
    except IntegrityError:
        _check_unique_identity(username=user.username, email=user.email, exclude_pk=user.pk)
        raise


@transaction.atomic
def user_register(*, username: str, email: str, password: str, role: str, full_name: str) -> User:
    """Create a mentee or mentor with an empty profile, and send the welcome email once the row is committed."""
    if role not in User.Role.values:
        raise ValidationError({"role": [f'"{role}" is not a role one can sign up for.']})
    _check_unique_identity(username=username, email=email)

    user = User(username=username, email=email, full_name=full_name, role=role)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    _save_identity(user)

    profile_model = MentorProfile if role == User.Role.MENTOR else MenteeProfile
    profile_model.objects.create(user=user)

    transaction.on_commit(lambda: task_send(tasks.send_welcome_email, user.pk, required=False))
    return user


ACCOUNT_FIELDS = frozenset({"full_name", "email"})


@transaction.atomic
def profile_update(*, user: User, changes: dict) -> User:
    """Change one's account (`full_name`, `email`) and role profile; skills and industry by name or id."""
    account = {name: value for name, value in changes.items() if name in ACCOUNT_FIELDS}
    profile = {name: value for name, value in changes.items() if name not in ACCOUNT_FIELDS}

    if "email" in account:
        _check_unique_identity(username=None, email=account["email"], exclude_pk=user.pk)
    for name, value in account.items():
        setattr(user, name, value)
    if account:
        user.full_clean(exclude=["password"])
        _save_identity(user, update_fields=[*account])

    if not profile:
        return user
    role_profile = user.profile
    if role_profile is None:
        raise ValidationError({name: ["Program admins have no participant profile."] for name in profile})

    skills = profile.pop("skills", None)
    if profile.get("industry") is not None:
        profile["industry"] = taxonomy_resolve(model=Industry, refs=[profile["industry"]], field="industry")[0]
    for name, value in profile.items():
        setattr(role_profile, name, value)
    role_profile.full_clean(exclude=["user"])
    if profile:
        role_profile.save(update_fields=[*profile, "updated_at"])
    if skills is not None:
        role_profile.skills.set(taxonomy_resolve(model=Skill, refs=skills, field="skills"))
        if not profile:  # the profile changed all the same: readers that cache by `updated_at` must see it
            role_profile.save(update_fields=["updated_at"])
    return user


def user_send_welcome_email(*, user: User) -> None:
    context = {"user": user}
    send_mail(
        subject="Welcome to the mentorship program",
        message=render_to_string("emails/welcome.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
