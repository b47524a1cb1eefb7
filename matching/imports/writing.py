"""Writing a checked participants file: accounts, profiles, skills, goals and memberships of the program, in bulk,
in one transaction."""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import Industry, Profile, Skill, User
from accounts.search import profile_search_refresh
from accounts.taxonomy import taxonomy_terms_import
from matching.imports.validation import (
    HEADER,
    OPTIONAL,
    CsvSource,
    ParticipantRow,
    RowError,
    chunks,
    participants_validate,
)
from mentorship.models import Goal
from programs.models import AdminAction, Membership, Program
from programs.selectors import memberships_changed, program_default
from programs.services import admin_action_record, invitations_send

# Rows per INSERT or UPDATE. On PostgreSQL Django would otherwise send every row in one statement, and the
# CASE WHEN that bulk_update() builds costs the square of its batch. (SQLite's own limit makes them smaller.)
WRITE_BATCH = 1_000
Role = Membership.Role
PROFILE_COLUMNS = ("headline", "bio", "timezone", "languages")


@dataclass(frozen=True)
class ImportReport:
    """What an import did; with `errors`, it did nothing and every count is 0.

    `new_user_ids`: the accounts the import created, who have no password yet: the ones to send an invitation to
    the program (the caller's to send, once the transaction commits; the import sends no email)."""

    mentors_created: int = 0
    mentors_updated: int = 0
    mentees_created: int = 0
    mentees_updated: int = 0
    errors: tuple[RowError, ...] = ()
    new_user_ids: tuple[int, ...] = ()


@transaction.atomic
def participants_import(
    *, csv_file: CsvSource, by: User | None = None, program: Program | None = None, site_url: str | None = None
) -> ImportReport:
    """Validate the whole file, then create or update every participant in one transaction, each joining
    `program` (the default one if None) in the role of their row.

    Nothing is written unless every row is valid. Writes are in bulk (no query per row) so that a program's
    10,000 participants import in seconds; no password is hashed: the new accounts are in the report
    (`new_user_ids`), and with `site_url` each gets an invitation email (after commit) with the one-time link that
    sets their password and lands them in the program. An existing account's address is never changed (a row that
    would is refused: see _conflicts_with_accounts in validation). A mentor row's skills are what they teach, a
    mentee row's what they want to grow. The admin's record lists who was created and, for each person updated,
    every field the import changed.
    """
    program = program or program_default()
    validation = participants_validate(csv_file=csv_file)
    if validation.errors:
        return ImportReport(errors=validation.errors)

    rows, existing = validation.rows, validation.existing
    # An admin's file may add terms to the taxonomy: they are approved at once (so is a suggestion it names).
    skills = taxonomy_terms_import(
        model=Skill, names=(name for row in rows for name in (*row.skills, *(row.wanted_skills or ())))
    )
    industries = taxonomy_terms_import(model=Industry, names=(row.industry for row in rows if row.industry))
    created_users = _users_create(rows=[row for row in rows if row.key not in existing])
    users = {**existing, **created_users}
    changed: dict[str, set[str]] = defaultdict(set)  # lower-case username → the file's columns it changed
    _merge(changed, _users_update(rows=[row for row in rows if row.key in existing], users=existing))
    _merge(changed, _profiles_save(rows=rows, users=users, existing=existing, industries=industries, skills=skills))
    _merge(changed, _memberships_save(rows=rows, users=users, existing=existing, program=program))
    memberships_changed()  # written in bulk: no signal told the memberships' cache
    _merge(changed, _goals_add(rows=[row for row in rows if row.goals], users=users, existing=existing))
    # What the directory's search reads (name, taught skills, industry, headline, bio) may have changed for anyone.
    profile_search_refresh(user_ids=[user.pk for user in users.values()])
    if any(row.role == Role.MENTOR for row in rows):
        directory_changed()

    created = Counter(row.role for row in rows if row.key not in existing)
    updated = Counter(row.role for row in rows if row.key in existing)
    report = ImportReport(
        mentors_created=created[Role.MENTOR],
        mentors_updated=updated[Role.MENTOR],
        mentees_created=created[Role.MENTEE],
        mentees_updated=updated[Role.MENTEE],
        new_user_ids=tuple(sorted(user.pk for user in created_users.values())),
    )
    if site_url and report.new_user_ids:
        invitations_send(program=program, user_ids=report.new_user_ids, site_url=site_url)
    admin_action_record(
        actor=by,
        kind=AdminAction.Kind.PARTICIPANTS_IMPORT,
        program=program,
        target=f"{len(rows)} participants",
        details={
            **{
                name: getattr(report, name)
                for name in ("mentors_created", "mentors_updated", "mentees_created", "mentees_updated")
            },
            "created": sorted(row.username for row in rows if row.key not in existing),
            "changed": {
                existing[key].username: [column for column in HEADER + OPTIONAL if column in columns]
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
        user = User(username=row.username, email=row.email, full_name=row.full_name)
        user.set_unusable_password()
        users.append(user)
    # Model.full_clean() would ask the database about each username's uniqueness: the file was checked instead.
    # bulk_create() skips User.save(), which makes the profile: _profiles_save() makes theirs.
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
    rows: tuple[ParticipantRow, ...],
    users: Mapping[str, User],
    existing: Mapping[str, User],
    industries: Mapping[str, Industry],
    skills: Mapping[str, Skill],
) -> dict[str, set[str]]:
    """Create the missing profiles and bring the others in line with the file, skills included: a mentor row's
    `skills` are the profile's `skills` (what they teach), a mentee row's its `wanted_skills`, with the optional
    `wanted_skills` column's. Returns, by lower-case username, the columns that changed for people who already had
    an account.

    A profile whose industry, words or skills changed gets a new `updated_at`: the recommendations cache is
    rebuilt when it moves. Unchanged profiles are not written at all.
    """
    profiles, created, changed = {}, [], {}
    columns: dict[str, set[str]] = defaultdict(set)
    written = {"industry_id"}
    for row in rows:
        user = users[row.key]
        profile = _profile_of(user) if row.key in existing else None
        is_new = profile is None
        if is_new:
            profile = Profile(user=user)
            created.append(profile)
        values = {"industry_id": industries[row.industry.lower()].pk if row.industry else None}
        for name in PROFILE_COLUMNS:
            value = getattr(row, name)
            if value is not None:
                values[name] = list(value) if name == "languages" else value
        written |= values.keys()
        assigned = _assign(profile, **values)
        if assigned and not is_new:
            changed[profile.pk] = profile
        if row.key in existing:  # a profile made now for an existing account counts from the blank one
            columns[row.key] |= {name.removesuffix("_id") for name in assigned}
        profiles[row.key] = profile
    Profile.objects.bulk_create(created, batch_size=WRITE_BATCH)

    def ids(names) -> set[int]:
        return {skills[name.lower()].pk for name in names}

    teaching = {profiles[row.key].pk: ids(row.skills) for row in rows if row.role == Role.MENTOR}
    learning = {
        profiles[row.key].pk: ids((*row.skills, *(row.wanted_skills or ()))) if row.role == Role.MENTEE
        else ids(row.wanted_skills)
        for row in rows
        if row.role == Role.MENTEE or row.wanted_skills is not None
    }  # fmt: skip
    known = {profiles[row.key].pk for row in rows if row.key in existing}
    for relation, wanted, column in [("skills", teaching, "skills"), ("wanted_skills", learning, "wanted_skills")]:
        relinked = _profile_skills_set(relation=relation, wanted=wanted, known_ids=[pk for pk in wanted if pk in known])
        changed.update((profile.pk, profile) for profile in profiles.values() if profile.pk in relinked)
        for row in rows:
            if profiles[row.key].pk in relinked:
                # A mentee's wanted skills are the file's `skills` column.
                columns[row.key].add("skills" if row.role == Role.MENTEE and relation == "wanted_skills" else column)

    # bulk_update() does not run auto_now, so the time of the change is set here.
    now = timezone.now()
    for profile in changed.values():
        profile.updated_at = now
    fields = [name.removesuffix("_id") for name in sorted(written)] + ["updated_at"]
    Profile.objects.bulk_update(changed.values(), fields, batch_size=WRITE_BATCH)
    return {key: names for key, names in columns.items() if names}


def _profile_of(user: User) -> Profile | None:
    """The profile fetched with the user; None for an account made without one (in bulk, say)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def _profile_skills_set(*, relation: str, wanted: Mapping[int, set[int]], known_ids: list[int]) -> set[int]:
    """Make each profile's `relation` (skills or wanted_skills) exactly `wanted` (profile id → skill ids), in bulk;
    the file's list is the whole list. Returns the already known profiles whose list changed."""
    through = getattr(Profile, relation).through
    current: dict[int, set[int]] = defaultdict(set)
    for chunk in chunks(known_ids):
        for profile_id, skill_id in through.objects.filter(profile_id__in=chunk).values_list("profile_id", "skill_id"):
            current[profile_id].add(skill_id)

    relinked = {profile_id for profile_id in known_ids if current[profile_id] != wanted[profile_id]}
    for chunk in chunks(list(relinked)):
        through.objects.filter(profile_id__in=chunk).delete()
    to_link = relinked | (wanted.keys() - set(known_ids))
    links = [
        through(profile_id=profile_id, skill_id=skill_id) for profile_id in to_link for skill_id in wanted[profile_id]
    ]
    through.objects.bulk_create(links, batch_size=WRITE_BATCH)
    return relinked


def _memberships_save(
    *, rows: tuple[ParticipantRow, ...], users: Mapping[str, User], existing: Mapping[str, User], program: Program
) -> dict[str, set[str]]:
    """Everyone in the file holds the role of their row in `program`: a membership is made (active: an admin put
    them there) or, for a mentor, its capacity brought in line with the file. A membership's status is left as it
    is (an admin approves, removes and brings back people on the participants pages). Returns the existing
    accounts whose capacity changed, and those who joined the program, by lower-case username."""
    known_ids = [users[row.key].pk for row in rows if row.key in existing]
    memberships: dict[tuple[int, str], Membership] = {}
    for chunk in chunks(known_ids):
        for membership in Membership.objects.in_program(program).filter(user_id__in=chunk):
            memberships[membership.user_id, membership.role] = membership
    created, updated = [], []
    columns: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        user_id = users[row.key].pk
        membership = memberships.get((user_id, row.role))
        if membership is None:
            membership = Membership(user_id=user_id, program=program, role=row.role, status=Membership.Status.ACTIVE)
            if row.capacity is not None:
                membership.capacity = row.capacity
            created.append(membership)
            if row.key in existing:
                columns[row.key].add("role")
        elif row.role == Role.MENTOR and _assign(membership, capacity=row.capacity):
            membership.updated_at = timezone.now()
            updated.append(membership)
            columns[row.key].add("capacity")
    Membership.objects.bulk_create(created, batch_size=WRITE_BATCH)
    Membership.objects.bulk_update(updated, ["capacity", "updated_at"], batch_size=WRITE_BATCH)
    return columns


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
