"""Reading and checking a participants file: every problem of every row, before anything is written."""

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from accounts.models import MAX_CAPACITY, Industry, Profile, Skill, User
from accounts.taxonomy import taxonomy_normalise_name
from mentorship.models import Goal
from programs.models import Membership

HEADER = ("role", "username", "email", "full_name", "industry", "skills", "goals", "capacity")
# Columns a file may add after HEADER, in any order; a column left out leaves that part of existing profiles as is.
OPTIONAL = ("headline", "bio", "timezone", "languages", "wanted_skills")
ROLES = (Membership.Role.MENTOR, Membership.Role.MENTEE)
LIST_SEPARATOR = ";"
MAX_SKILLS = 30
MAX_GOALS = 20
DEFAULT_CAPACITY = Membership._meta.get_field("capacity").default
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")  # not int()'s "1_000" or other scripts' digits

# Rows per `IN (...)` query: two parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535.
ROWS_PER_QUERY = 10_000

CsvSource = str | bytes | IO[str] | IO[bytes]
T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    """One problem with one field of one line; line 1 is the header, so the first participant is line 2."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class ParticipantRow:
    """One row's values, tidied: lists split and de-duplicated, capacity an int for mentors (blank: the default).
    `skills` are what a mentor teaches and what a mentee wants to grow. An optional column the file does not have
    is None here (and left as it is on existing profiles).

    Only rows without a single error leave participants_validate().
    """

    line: int
    role: str
    username: str
    email: str
    full_name: str
    industry: str
    skills: tuple[str, ...]
    goals: tuple[str, ...]
    capacity: int | None
    headline: str | None = None
    bio: str | None = None
    timezone: str | None = None
    languages: tuple[str, ...] | None = None
    wanted_skills: tuple[str, ...] | None = None

    @property
    def key(self) -> str:
        return self.username.lower()


@dataclass(frozen=True)
class ParticipantsValidation:
    """Either `errors` or `rows`, never both. `existing` are the file's users already in the database, by
    lower-case username, read once so that the writes need not read them again."""

    rows: tuple[ParticipantRow, ...] = ()
    errors: tuple[RowError, ...] = ()
    existing: Mapping[str, User] = field(default_factory=dict)


def participants_validate(*, csv_file: CsvSource) -> ParticipantsValidation:
    """Check the whole file against the format and the database; read-only.

    Every bad value of every row is reported, not just the first, because the admin fixes them all at once.
    """
    text, file_error = _decoded(csv_file)
    records, csv_error = _records(text) if file_error is None else ([], None)
    file_error = file_error or csv_error or _header_error(records)
    if file_error:
        # Without a readable file and the expected columns, no value means anything: this is the one error.
        return ParticipantsValidation(errors=(file_error,))

    columns = tuple(cell.strip() for cell in records[0][1])
    rows: list[ParticipantRow] = []
    errors: list[RowError] = []
    for line, cells in records[1:]:
        row, row_errors = _clean_row(line=line, cells=cells, columns=columns)
        rows.append(row)
        errors.extend(row_errors)

    # A value already reported as bad is not checked again against other rows or accounts: one message each.
    bad_fields = {(error.line, error.field) for error in errors}
    errors.extend(_repeats_in_file(rows=rows, field="username", bad_fields=bad_fields))
    errors.extend(_repeats_in_file(rows=rows, field="email", bad_fields=bad_fields))
    bad_fields = {(error.line, error.field) for error in errors}
    existing = _existing_users(rows=rows, bad_fields=bad_fields)
    errors.extend(_conflicts_with_accounts(rows=rows, existing=existing, bad_fields=bad_fields))

    if errors:
        return ParticipantsValidation(errors=tuple(sorted(errors, key=_error_order)))
    return ParticipantsValidation(rows=tuple(rows), existing=existing)


def _error_order(error: RowError) -> tuple[int, int]:
    column = (HEADER + OPTIONAL).index(error.field) if error.field in HEADER + OPTIONAL else -1
    return error.line, column


def _decoded(csv_file: CsvSource) -> tuple[str, RowError | None]:
    content = csv_file if isinstance(csv_file, str | bytes) else csv_file.read()
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError as error:
            line = content.count(b"\n", 0, error.start) + 1
            message = "The file is not UTF-8 text; save it as “CSV UTF-8” and import it again."
            return "", RowError(line=line, field="file", message=message)
    # Spreadsheets saving "CSV UTF-8" start the file with a byte order mark.
    return content.removeprefix("\ufeff"), None


def _records(text: str) -> tuple[list[tuple[int, list[str]]], RowError | None]:
    """Each CSV record with the line it starts on, as an editor numbers them.

    A quoted value may span lines, so a record starts on the line after the previous one ended. Records with
    nothing in them (a blank line, or the `,,,,,,,` that spreadsheets leave at the end) are skipped.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        return records, RowError(line=start, field="file", message=f"Not readable as CSV: {error}.")
    return records, None


def _header_error(records: list[tuple[int, list[str]]]) -> RowError | None:
    expected = ",".join(HEADER)
    if not records or records[0][0] != 1:
        return RowError(line=1, field="header", message=f'The first line must be the header "{expected}".')
    found = [cell.strip() for cell in records[0][1]]
    if tuple(found[: len(HEADER)]) != HEADER:
        return RowError(line=1, field="header", message=f'Expected "{expected}", found "{",".join(found)}".')
    extra = found[len(HEADER) :]
    if not set(extra) <= set(OPTIONAL) or len(set(extra)) != len(extra):
        message = f'After "{expected}" come only some of "{",".join(OPTIONAL)}", each once; found "{",".join(extra)}".'
        return RowError(line=1, field="header", message=message)
    return None


def _clean_row(
    *, line: int, cells: list[str], columns: tuple[str, ...] = HEADER
) -> tuple[ParticipantRow, list[RowError]]:
    """Check the values of one row on their own, without looking at other rows or at the database."""
    errors: list[RowError] = []

    def error(field: str, message: str) -> None:
        errors.append(RowError(line=line, field=field, message=message))

    if len(cells) != len(columns):
        error("row", f"Expected {len(columns)} values, found {len(cells)}; check for a missing or extra comma.")
        cells = (cells + [""] * len(columns))[: len(columns)]
    values = dict(zip(columns, (cell.strip() for cell in cells), strict=True))
    role = values["role"].lower()
    # The same normalisation as sign-up's full_clean(): NFKC usernames, lower-case email domains.
    values["username"] = User.normalize_username(values["username"])
    values["email"] = User.objects.normalize_email(values["email"])

    if role not in ROLES:
        error("role", f'"{_shown(role)}" is not a role; use "mentee" or "mentor".')
    for name, model, attribute in [
        ("username", User, "username"),
        ("email", User, "email"),
        ("full_name", User, "full_name"),
        ("industry", Industry, "name"),
        *((name, Profile, name) for name in ("headline", "bio", "timezone") if values.get(name)),
    ]:
        for message in _field_violations(model=model, name=attribute, value=values[name]):
            error(name, message)
    for name in ("username", "email", "full_name"):
        if not values[name]:
            error(name, "This field is required.")

    industry = taxonomy_normalise_name(values["industry"])
    skills = _split_list(values["skills"], normalise=taxonomy_normalise_name)
    goals = _split_list(values["goals"], normalise=str.strip)
    for message in _list_violations(items=skills, model=Skill, name="name", most=MAX_SKILLS, noun="skills"):
        error("skills", message)
    wanted_skills = None
    if "wanted_skills" in values:
        wanted_skills = _split_list(values["wanted_skills"], normalise=taxonomy_normalise_name)
        for message in _list_violations(items=wanted_skills, model=Skill, name="name", most=MAX_SKILLS, noun="skills"):
            error("wanted_skills", message)
    languages = None
    if "languages" in values:
        languages = _split_list(values["languages"], normalise=str.strip)
        for message in _field_violations(model=Profile, name="languages", value=list(languages)):
            error("languages", message)
    if goals and role == Membership.Role.MENTOR:
        error("goals", "Only mentees have goals; leave this empty for a mentor.")
    for message in _list_violations(items=goals, model=Goal, name="title", most=MAX_GOALS, noun="goals"):
        error("goals", message)
    capacity, capacity_error = _capacity(role=role, value=values["capacity"])
    if capacity_error:
        error("capacity", capacity_error)

    row = ParticipantRow(
        line=line,
        role=role,
        username=values["username"],
        email=values["email"],
        full_name=values["full_name"],
        industry=industry,
        skills=skills,
        goals=goals,
        capacity=capacity,
        headline=values.get("headline"),
        bio=values.get("bio"),
        timezone=(values["timezone"] or "UTC") if "timezone" in values else None,
        languages=languages,
        wanted_skills=wanted_skills,
    )
    return row, errors


def _field_violations(*, model: type[models.Model], name: str, value: str) -> list[str]:
    """The model field's own validators (length, username characters, email syntax): one rule, one place."""
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as error:
        return error.messages
    return []


def _split_list(value: str, *, normalise: Callable[[str], str]) -> tuple[str, ...]:
    """Split a `;` list, dropping blank items and repeats whatever their case (the first spelling wins)."""
    unique: dict[str, str] = {}
    for item in value.split(LIST_SEPARATOR):
        item = normalise(item)
        if item:
            unique.setdefault(item.lower(), item)
    return tuple(unique.values())


def _list_violations(
    *, items: tuple[str, ...], model: type[models.Model], name: str, most: int, noun: str
) -> Iterator[str]:
    if len(items) > most:
        yield f"At most {most} {noun}; this row has {len(items)}."
    for item in items:
        for message in _field_violations(model=model, name=name, value=item):
            yield f'"{_shown(item)}": {message}'


def _capacity(*, role: str, value: str) -> tuple[int | None, str | None]:
    if role != Membership.Role.MENTOR:
        if value and role == Membership.Role.MENTEE:
            return None, "Only mentors have a capacity; leave this empty for a mentee."
        return None, None
    if not value:
        return DEFAULT_CAPACITY, None
    if not WHOLE_NUMBER.fullmatch(value):
        return None, f'"{_shown(value)}" is not a whole number; give 0 to {MAX_CAPACITY} mentees.'
    capacity = int(value)
    if not 0 <= capacity <= MAX_CAPACITY:
        return None, f"{capacity} is out of range; give 0 to {MAX_CAPACITY} mentees."
    return capacity, None


def _shown(value: str, length: int = 40) -> str:
    """A value quoted in a message, cut short so one long cell does not flood the report."""
    return value if len(value) <= length else value[: length - 1] + "…"


def _repeats_in_file(*, rows: list[ParticipantRow], field: str, bad_fields: set[tuple[int, str]]) -> Iterator[RowError]:
    """Usernames and emails are unique whatever their case, as in the database: report each repeat."""
    first_line: dict[str, int] = {}
    for row in rows:
        value = getattr(row, field)
        if not value or (row.line, field) in bad_fields:
            continue
        first = first_line.setdefault(value.lower(), row.line)
        if first != row.line:
            message = f'"{_shown(value)}" is already on line {first} (the case of letters does not matter).'
            yield RowError(line=row.line, field=field, message=message)


def _existing_users(*, rows: list[ParticipantRow], bad_fields: set[tuple[int, str]]) -> dict[str, User]:
    """The accounts that the file's usernames or emails name, with their profiles, by lower-case username.

    One query per ROWS_PER_QUERY rows, so one for any realistic file. A value already reported as bad is not
    asked about: it may be one the database cannot even compare (a NUL, on PostgreSQL).
    """
    users: dict[str, User] = {}
    for chunk in chunks(rows):
        usernames = {row.username.lower() for row in chunk if row.username and (row.line, "username") not in bad_fields}
        emails = {row.email.lower() for row in chunk if row.email and (row.line, "email") not in bad_fields}
        found = (
            User.objects.select_related("profile")
            .annotate(lower_username=Lower("username"), lower_email=Lower("email"))
            .filter(models.Q(lower_username__in=usernames) | models.Q(lower_email__in=emails))
        )
        users.update((user.username.lower(), user) for user in found)
    return users


def _conflicts_with_accounts(
    *, rows: list[ParticipantRow], existing: Mapping[str, User], bad_fields: set[tuple[int, str]]
) -> Iterator[RowError]:
    """An import may update a participant's details (and give them another role or program) but never take over
    another account, touch site staff's, or change an account's address: a password reset goes to the address, so
    whoever changes it takes the account. People change their own, with their password and a link to the new
    address (accounts.services)."""
    owner_of_email = {user.email.lower(): user for user in existing.values() if user.email}
    for row in rows:
        user = existing.get(row.key)
        admin = user is not None and user.is_staff
        if admin and (row.line, "username") not in bad_fields:
            message = f'"{_shown(row.username)}" is site staff; the import only touches mentors and mentees.'
            yield RowError(line=row.line, field="username", message=message)
        if (row.line, "email") in bad_fields:
            continue
        owner = owner_of_email.get(row.email.lower())
        if user is not None and not admin and row.email.lower() != user.email.lower():
            if user.email:
                message = (
                    f'"{_shown(row.email)}" is not the address of {user.username} ({user.email}): an import never '
                    f"changes an address. Keep {user.email} in the file; {user.username} can change it from their "
                    "profile."
                )
            else:
                message = (
                    f"{user.username} has no address, and an import never gives an account one: leave "
                    f"{user.username} out of the file; they can add one from their profile."
                )
            yield RowError(line=row.line, field="email", message=message)
        elif owner is not None and owner.username.lower() != row.key:
            message = f'"{_shown(row.email)}" is the email address of another account ({owner.username}).'
            yield RowError(line=row.line, field="email", message=message)


def chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """Slices small enough for one `IN (...)` query each."""
    for start in range(0, len(values), ROWS_PER_QUERY):
        yield values[start : start + ROWS_PER_QUERY]
