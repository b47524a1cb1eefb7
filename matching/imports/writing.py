"""Writing a checked participants file: accounts, profiles, skills and goals, in bulk, in one transaction."""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import Industry, MenteeProfile, MentorProfile, Skill, User
from accounts.taxonomy import taxonomy_terms_import
from matching.imports.validation import HEADER, CsvSource, ParticipantRow, RowError, chunks, participants_validate
from mentorship.models import Goal
from programs.models import AdminAction
from programs.services import admin_action_record

# Rows per INSERT or UPDATE. On PostgreSQL Django would otherwise send every row in one statement, and the
# CASE WHEN that bulk_update() builds costs the square of its batch. (SQLite's own limit makes them smaller.)
WRITE_BATCH = 1_000


@dataclass(frozen=True)
class ImportReport:
    """What an import did; with `errors`, it did nothing and every count is 0."""

    mentors_created: int = 0
    mentors_updated: int = 0
    mentees_created: int = 0
    mentees_updated: int = 0
    errors: tuple[RowError, ...] = ()


@transaction.atomic
def participants_import(*, csv_file: CsvSource, by: User | None = None) -> ImportReport:
    """Validate the whole file, then create or update every participant in one transaction.

    Nothing is written unless every row is valid. Writes are in bulk (no query per row) so that a program's
    10,000 participants import in seconds; no password is hashed (imported people set theirs through the
    password reset) and no welcome email is sent: when to invite imported people is the program's call. An
    existing account's address is never changed (a row that would is refused: see _conflicts_with_accounts in
    validation). The admin's record lists who was created and, for each person updated, every field the import
    changed.
    """
    validation = participants_validate(csv_file=csv_file)
    if validation.errors:
        return ImportReport(errors=validation.errors)

    rows, existing = validation.rows, validation.existing
    # An admin's file may add terms to the taxonomy: they are approved at once (so is a suggestion it names).
    skills = taxonomy_terms_import(model=Skill, names=(name for row in rows for name in row.skills))
    industries = taxonomy_terms_import(model=Industry, names=(row.industry for row in rows if row.industry))
    users = {**existing, **_users_create(rows=[row for row in rows if row.key not in existing])}
    changed: dict[str, set[str]] = defaultdict(set)  # lower-case username → the file's columns it changed
    _merge(changed, _users_update(rows=[row for row in rows if row.key in existing], users=existing))
    for role, model in [(User.Role.MENTOR, MentorProfile), (User.Role.MENTEE, MenteeProfile)]:
        role_rows = [row for row in rows if row.role == role]
        _merge(
            changed,
            _profiles_save(
                model=model, rows=role_rows, users=users, existing=existing, industries=industries, skills=skills
            ),
        )
    _merge(changed, _goals_add(rows=[row for row in rows if row.goals], users=users, existing=existing))
    if any(row.role == User.Role.MENTOR for row in rows):
        directory_changed()

    created = Counter(row.role for row in rows if row.key not in existing)
    updated = Counter(row.role for row in rows if row.key in existing)
    report = ImportReport(
        mentors_created=created[User.Role.MENTOR],
        mentors_updated=updated[User.Role.MENTOR],
        mentees_created=created[User.Role.MENTEE],
        mentees_updated=updated[User.Role.MENTEE],
    )
    admin_action_record(
        actor=by,
        kind=AdminAction.Kind.PARTICIPANTS_IMPORT,
        target=f"{len(rows)} participants",
        details={
            **{
                name: getattr(report, name)
                for name in ("mentors_created", "mentors_updated", "mentees_created", "mentees_updated")
            },
            "created": sorted(row.username for row in rows if row.key not in existing),
            "changed": {
                existing[key].username: [column for column in HEADER if column in columns]
                for key, columns in sorted(changed.items())
            },
        },
    )
    return report


def _merge(changed: dict[str, set[str]], more: Mapping[str, set[str]]) -> None:
    for key, columns in more.items():
        changed[key] |= columns


def _users_create(*, rows: list[ParticipantRow]) -> dict[str, User]:
    users = []
    for row in rows:
        user = User(username=row.username, email=row.email, full_name=row.full_name, role=row.role)
        user.set_unusable_password()
        users.append(user)
    # Model.full_clean() would ask the database about each username's uniqueness: the file was checked instead.
    User.objects.bulk_create(users, batch_size=WRITE_BATCH)
    return {user.username.lower(): user for user in users}


def _users_update(*, rows: list[ParticipantRow], users: Mapping[str, User]) -> dict[str, set[str]]:
    """Bring the accounts' names in line with the file; never their address (checked: the same, whatever its
    case, which is kept as the account has it). Returns the changed columns by lower-case username."""
    changed = {row.key: _assign(users[row.key], full_name=row.full_name) for row in rows}
    changed = {key: columns for key, columns in changed.items() if columns}
    User.objects.bulk_update([users[key] for key in changed], ["full_name"], batch_size=WRITE_BATCH)
    return changed


def _profiles_save(
    *,
    model: type[MentorProfile | MenteeProfile],
    rows: list[ParticipantRow],
    users: Mapping[str, User],
    existing: Mapping[str, User],
    industries: Mapping[str, Industry],
    skills: Mapping[str, Skill],
) -> dict[str, set[str]]:
    """Create the missing profiles and bring the others in line with the file, skills included. Returns, by
    lower-case username, the columns that changed for people who already had an account.

    A profile whose industry, capacity or skills changed gets a new `updated_at`: the recommendations cache
    is rebuilt when it moves. Unchanged profiles are not written at all.
    """
    profiles, created, changed = {}, [], {}
    columns: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        user = users[row.key]
        profile = _profile_of(user=user, model=model) if row.key in existing else None
        is_new = profile is None
        if is_new:
            profile = model(user=user)
            created.append(profile)
        values = {"industry_id": industries[row.industry.lower()].pk if row.industry else None}
        if model is MentorProfile:
            values["capacity"] = row.capacity
        assigned = _assign(profile, **values)
        if assigned and not is_new:
            changed[profile.pk] = profile
        if row.key in existing:  # a profile made now for an existing account counts from the blank one
            columns[row.key] |= {name.removesuffix("_id") for name in assigned}
        profiles[row.key] = profile
    model.objects.bulk_create(created, batch_size=WRITE_BATCH)

    wanted = {profiles[row.key].pk: {skills[name.lower()].pk for name in row.skills} for row in rows}
    known_ids = [profiles[row.key].pk for row in rows if row.key in existing]
    relinked = _profile_skills_set(model=model, wanted=wanted, known_ids=known_ids)
    changed.update((profile.pk, profile) for profile in profiles.values() if profile.pk in relinked)
    for row in rows:
        if profiles[row.key].pk in relinked:
            columns[row.key].add("skills")

    # bulk_update() does not run auto_now, so the time of the change is set here.
    now = timezone.now()
    for profile in changed.values():
        profile.updated_at = now
    fields = ["industry", "updated_at", *(["capacity"] if model is MentorProfile else [])]
    model.objects.bulk_update(changed.values(), fields, batch_size=WRITE_BATCH)
    return {key: names for key, names in columns.items() if names}


def _profile_of(*, user: User, model: type[MentorProfile | MenteeProfile]) -> MentorProfile | MenteeProfile | None:
    """The profile fetched with the user; None for an account made without one (in the Django admin, say)."""
    try:
        return user.mentor_profile if model is MentorProfile else user.mentee_profile
    except ObjectDoesNotExist:
        return None


def _profile_skills_set(
    *, model: type[MentorProfile | MenteeProfile], wanted: Mapping[int, set[int]], known_ids: list[int]
) -> set[int]:
    """Make each profile's skills exactly `wanted` (profile id → skill ids), in bulk; the file's list is the
    whole list. Returns the already known profiles whose skills changed."""
    through = model.skills.through
    profile_column = f"{model._meta.model_name}_id"
    current: dict[int, set[int]] = defaultdict(set)
    for chunk in chunks(known_ids):
        links = through.objects.filter(**{f"{profile_column}__in": chunk}).values_list(profile_column, "skill_id")
        for profile_id, skill_id in links:
            current[profile_id].add(skill_id)

    relinked = {profile_id for profile_id in known_ids if current[profile_id] != wanted[profile_id]}
    for chunk in chunks(list(relinked)):
        through.objects.filter(**{f"{profile_column}__in": chunk}).delete()
    to_link = relinked | (wanted.keys() - set(known_ids))
    links = [
        through(**{profile_column: profile_id, "skill_id": skill_id})
        for profile_id in to_link
        for skill_id in wanted[profile_id]
    ]
    through.objects.bulk_create(links, batch_size=WRITE_BATCH)
    return relinked


def _goals_add(
    *, rows: list[ParticipantRow], users: Mapping[str, User], existing: Mapping[str, User]
) -> dict[str, set[str]]:
    """Add the goals a mentee does not have yet (by title, whatever its case); never remove one. Returns
    {lower-case username: {"goals"}} for the existing mentees who got one.

    Goals carry milestones and requests, so an import that dropped a title from the file must not delete them.
    """
    known_mentee_ids = [existing[row.key].pk for row in rows if row.key in existing]
    have: set[tuple[int, str]] = set()
    for chunk in chunks(known_mentee_ids):
        titles = Goal.objects.filter(mentee_id__in=chunk).values_list("mentee_id", "title")
        have.update((mentee_id, title.lower()) for mentee_id, title in titles)
    goals = [
        Goal(mentee_id=users[row.key].pk, title=title)
        for row in rows
        for title in row.goals
        if (users[row.key].pk, title.lower()) not in have
    ]
    Goal.objects.bulk_create(goals, batch_size=WRITE_BATCH)
    with_new_goals = {goal.mentee_id for goal in goals}
    return {row.key: {"goals"} for row in rows if row.key in existing and existing[row.key].pk in with_new_goals}


def _assign(instance: models.Model, **values) -> set[str]:
    """Set the attributes that differ; their names (none: the row need not be written again)."""
    changed = set()
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.add(name)
    return changed
