"""Reads of programs and memberships: which programs a person sees, what they are in each, who administers one.

A person's memberships are what every page's navigation asks first ("mentor here? admin here? which programs?"): they
are read once per request object (`memberships_of` keeps them on the user) and kept in the cache between requests, so
that a page costs no query for them. Any change of a membership or a program drops what the cache kept: a save of
either (programs.receivers), and the bulk writers (imports, the demo) call `memberships_changed()`."""

import contextlib
import logging
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.directory import CACHE_ERRORS
from accounts.models import User
from programs.models import DEFAULT_PROGRAM_SLUG, Membership, Program

Role = Membership.Role
Status = Membership.Status


def program_default() -> Program:
    return Program.objects.default()


log = logging.getLogger(__name__)
MEMBERSHIPS_VERSION_KEY = "memberships:version"
MEMBERSHIPS_CACHE_SECONDS = 600


def memberships_of(user: User) -> list[Membership]:
    """All of a person's memberships with their programs (any status), read once per user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = _memberships_kept(user.pk)
        user._memberships_cache = cached
    return cached


def _memberships_read(user_id: int) -> list[Membership]:
    # The program's long text and weights are left for who needs them (a program's own page reads it whole).
    memberships = Membership.objects.filter(user_id=user_id).select_related("program")
    return list(memberships.defer("program__description", "program__default_weights").order_by("program__name", "id"))


def memberships_key(user_id: int) -> str:
    return f"memberships:{user_id}"


def _memberships_kept(user_id: int) -> list[Membership]:
    """The memberships as the cache kept them, with the version of everything they were read in (one round trip);
    read and kept again when a change moved the version or dropped them. Without the cache, read every time."""
    key = memberships_key(user_id)
    try:
        found = cache.get_many([MEMBERSHIPS_VERSION_KEY, key])
    except CACHE_ERRORS as error:
        log.warning("Memberships read without the cache: %s", error)
        return _memberships_read(user_id)
    version = found.get(MEMBERSHIPS_VERSION_KEY, 0)
    kept_version, kept = found.get(key, (None, None))
    if kept_version == version:
        return kept
    memberships = _memberships_read(user_id)
    with contextlib.suppress(*CACHE_ERRORS):  # kept next time, then
        cache.set(key, (version, memberships), MEMBERSHIPS_CACHE_SECONDS)
    return memberships


def memberships_drop(keys: list[str], *, everyone: bool = False) -> None:
    try:
        if everyone:
            try:
                cache.incr(MEMBERSHIPS_VERSION_KEY)
            except ValueError:  # no version yet
                cache.set(MEMBERSHIPS_VERSION_KEY, 1, None)
        if keys:
            cache.delete_many(keys)
    except CACHE_ERRORS as error:
        log.warning("Memberships kept in the cache could not be dropped: %s", error)


def memberships_forget(user: User) -> None:
    """After a write to `user`'s memberships: the next read sees it (this request's and, once the write commits,
    every other's)."""
    user.__dict__.pop("_memberships_cache", None)
    user.__dict__.pop("is_program_admin", None)
    keys = [memberships_key(user.pk)]
    memberships_drop(keys)  # now, and again after the commit: a read in between would keep what is about to change
    transaction.on_commit(lambda: memberships_drop(keys))


def memberships_changed() -> None:
    """Memberships or programs changed in bulk (an import, the demo): every kept read is dropped after commit."""
    transaction.on_commit(lambda: memberships_drop([], everyone=True))


def membership_in(user: User, program: Program, role: str, *, active: bool = True) -> Membership | None:
    for membership in memberships_of(user):
        matches = membership.program_id == program.pk and membership.role == role
        if matches and (not active or membership.status == Status.ACTIVE):
            return membership
    return None


def roles_in(user: User, program: Program) -> set[str]:
    """The roles `user` holds actively in `program`."""
    return {m.role for m in memberships_of(user) if m.program_id == program.pk and m.status == Status.ACTIVE}


def is_program_admin(user: User, program: Program) -> bool:
    """Site staff manage every program; a program's own admins manage it."""
    if not user.is_authenticated:
        return False
    return user.is_staff or Role.ADMIN in roles_in(user, program)


def programs_of(user: User) -> list[Program]:
    """The programs a person is actively in, by name."""
    seen: dict[int, Program] = {}
    for membership in memberships_of(user):
        if membership.status == Status.ACTIVE:
            seen.setdefault(membership.program_id, membership.program)
    return list(seen.values())


def programs_visible_to(user: User) -> QuerySet[Program]:
    """Programs a person belongs to (in any status but removed) or may join (open enrolment); site staff see all."""
    if user.is_staff:
        return Program.objects.all()
    belongs = Membership.objects.filter(user=user).exclude(status=Status.REMOVED).values("program_id")
    return Program.objects.filter(Q(pk__in=belongs) | Q(enrollment=Program.Enrollment.OPEN)).distinct()


def program_for(user: User, slug: str) -> Program:
    """The program `slug` if `user` may see it; a 404 otherwise (never revealing that it exists)."""
    program = programs_visible_to(user).filter(slug=slug).first()
    if program is None:
        raise Http404("No such program.")
    return program


def program_administered_by(user: User, slug: str) -> Program:
    """The program `slug` if `user` administers it; a 404 otherwise: an admin of program A acting on B learns
    nothing of B."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or not is_program_admin(user, program):
        raise Http404("No such program.")
    return program


def program_of_peer(user: User, slug: str) -> Program:
    """The program `slug` if `user` is one of its active peers or administers it; a 404 otherwise: who else is
    pairing up there is its people's business only."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or not (is_program_admin(user, program) or Role.PEER in roles_in(user, program)):
        raise Http404("No such program.")
    return program


CURRENT_PROGRAM_SESSION_KEY = "current_program"


def current_program(request) -> Program:
    """The program the flat pages (`/mentors/`, `/rounds/`, …) act on: `?program=<slug>` or the session's choice
    (set by the switcher or by visiting a program's page) when the person is in it, else `main` when they are in
    it, else their first program, else `main`. Never one they are not in (a stale session choice is ignored)."""
    user = request.user
    mine = {program.slug: program for program in programs_of(user)}
    for slug in (request.GET.get("program"), request.session.get(CURRENT_PROGRAM_SESSION_KEY)):
        if slug and slug in mine:
            return mine[slug]
        if slug and user.is_staff:  # site staff manage every program without joining it
            found = Program.objects.filter(slug=slug).first()
            if found is not None:
                return found
    if DEFAULT_PROGRAM_SLUG in mine:
        return mine[DEFAULT_PROGRAM_SLUG]
    if mine:
        return next(iter(mine.values()))
    return program_default()


def current_program_choose(request, program: Program) -> None:
    """Remember `program` as the person's current one (the switcher, or visiting its page) if they are in it (site
    staff: any program)."""
    if request.user.is_staff or any(p.pk == program.pk for p in programs_of(request.user)):
        request.session[CURRENT_PROGRAM_SESSION_KEY] = program.slug


def my_memberships_in(user: User, program: Program) -> list[Membership]:
    """A person's own memberships in `program` (any status), by role."""
    return sorted((m for m in memberships_of(user) if m.program_id == program.pk), key=lambda m: m.role)


def member_list(*, program: Program, role: str = "", status: str = "", query: str = "") -> QuerySet[Membership]:
    """A program's memberships for its admins: by role and status, `query` in the name, username or address."""
    members = Membership.objects.in_program(program).select_related("user", "invited_by")
    if role:
        members = members.filter(role=role)
    if status:
        members = members.filter(status=status)
    if query:
        members = members.filter(
            Q(user__full_name__icontains=query) | Q(user__username__icontains=query) | Q(user__email__icontains=query)
        )
    return members.order_by("user__full_name", "user__username", "role", "id")


def member_of(*, program: Program, membership_id: int) -> Membership:
    """One membership of `program` (a 404 for one of another program: an admin of A learns nothing of B)."""
    membership = member_list(program=program).filter(pk=membership_id).first()
    if membership is None:
        raise Http404("No such member.")
    return membership


def joinable_roles(user: User, program: Program) -> list[str]:
    """The roles `user` could join `program` in by themselves now (none when enrolment is not open or a cohort
    ended, or for a role they hold, wait in, or were removed from)."""
    from programs.services import JOINABLE_ROLES  # the rule lives with the service that applies it

    if program.enrollment != Program.Enrollment.OPEN or program.has_ended():
        return []
    held = {m.role for m in memberships_of(user) if m.program_id == program.pk and m.status != Status.LEFT}
    return [role for role in JOINABLE_ROLES[program.format] if role not in held]


def mentorships_by_person(*, program: Program, user_ids: set[int]) -> dict[int, list]:
    """Each of these people's mentorships in `program` (as mentor or member), newest first, in two queries (the
    mentorships, their members): the participants page lists them beside each person."""
    found: dict[int, list] = defaultdict(list)
    if not user_ids:
        return found
    # The program's reverse relation reaches mentorship's rows without importing it (imports point one way).
    rows = (
        program.mentorships.filter(Q(mentor_id__in=user_ids) | Q(members__user_id__in=user_ids))
        .distinct()
        .select_related("mentor")
        .prefetch_related("members__user")
        .order_by("-started_at", "-id")
    )
    for mentorship in rows:
        # Once each: a member who left a circle and came back has a row per stay.
        people = dict.fromkeys([mentorship.mentor_id, *(member.user_id for member in mentorship.members.all())])
        for user_id in people:
            if user_id in user_ids:
                found[user_id].append(mentorship)
    return found
