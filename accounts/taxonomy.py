"""Every write to the skill and industry taxonomy. The taxonomy is curated, so that nobody can fill every page of
the program with terms of their own:

- participants pick terms that exist. A skill they name that does not exist yet becomes *their suggestion*: it is
  on their profile or goal at once, seen by them and by program admins only, until an admin approves it, merges it
  into an approved skill (whatever named it then names that one) or rejects it (it goes from wherever it was).
  One person has at most SKILL_SUGGESTIONS_PER_PERSON suggestions waiting; one they stop using is withdrawn.
- industries are a picklist: a name that is not on it is a 400, and only program admins add to it.
- program admins add terms directly, and so does their import (approved at once).

Locks, always in this order so that concurrent writes wait instead of deadlocking: the participant's account row,
then the suggestions involved (by id), then the profiles and goals that name them.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import Profile, Skill, TaxonomyTerm, User
from accounts.search import profile_search_refresh
from config.errors import Conflict
from config.inputs import squash_whitespace

log = logging.getLogger(__name__)

TaxonomyRef = int | str

TAXONOMY_CHANGED = "A skill you named was reviewed by a program admin just now. Please save again."


def taxonomy_normalise_name(name: str) -> str:
    return squash_whitespace(name)


def _label(model: type[TaxonomyTerm]) -> str:
    return str(model._meta.verbose_name)


def taxonomy_resolve(
    *, model: type[TaxonomyTerm], refs: Iterable[TaxonomyRef], field: str, person: User
) -> list[TaxonomyTerm]:
    """Turn the ids and names a participant gave into terms, in the order given and without repeats.

    Ids must name terms `person` may see (approved ones and their own suggestions). Names match whatever their
    case. A skill name that does not exist yet is created as `person`'s suggestion (see skills_assign for the cap);
    an industry name that does not exist is refused, naming `field`. A concurrent creation of the same name is
    absorbed by the case-insensitive unique constraint (`ignore_conflicts`), then re-read.
    """
    refs = list(refs)
    ids = {ref for ref in refs if isinstance(ref, int)}
    names = {taxonomy_normalise_name(ref).lower(): taxonomy_normalise_name(ref) for ref in refs if isinstance(ref, str)}

    visible = model.objects.visible_to(person) if model is Skill else model.objects.all()
    by_id = visible.in_bulk(ids) if ids else {}
    missing_ids = sorted(ids - by_id.keys())
    if missing_ids:
        raise ValidationError({field: [f"No {_label(model)} with id {i}." for i in missing_ids]})

    by_name: dict[str, TaxonomyTerm] = {}
    if names:
        by_name = _terms_by_lower_name(model, names)
        absent = [display for key, display in names.items() if key not in by_name]
        if absent and model is not Skill:
            plural = model._meta.verbose_name_plural
            raise ValidationError(
                {field: [f"“{name}” is not one of the {plural}; pick one from the list." for name in absent]}
            )
        if absent:
            now = timezone.now()
            new = [
                Skill(name=name, status=Skill.Status.SUGGESTED, suggested_by=person, suggested_at=now)
                for name in absent
            ]
            model.objects.bulk_create(new, ignore_conflicts=True)
            # Only the new names are read again: a term read above and gone since (an admin merged or rejected a
            # suggestion) stays as read, for skills_assign to notice.
            by_name |= _terms_by_lower_name(model, {name.lower(): name for name in absent})
            if not names.keys() <= by_name.keys():  # created by someone else, and reviewed away, meanwhile
                raise Conflict(TAXONOMY_CHANGED, code="taxonomy_changed")

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


@transaction.atomic
def skills_assign(*, to, refs: Iterable[TaxonomyRef], person: User, field: str = "skills") -> list[Skill]:
    """Make the skills of `to` (a profile's or a goal's skills manager) exactly those `person` names.

    New names become `person`'s suggestions; their suggestions that nothing names any more are withdrawn. More than
    SKILL_SUGGESTIONS_PER_PERSON waiting after this change, and it is undone: a 400 naming `field`.
    """
    return skills_assign_each(sides={field: (to, refs)}, person=person)[field]


@transaction.atomic
def skills_assign_each(
    *, sides: dict[str, tuple[object, Iterable[TaxonomyRef]]], person: User
) -> dict[str, list[Skill]]:
    """skills_assign for several skill fields of one thing at once (a profile's `skills` and `wanted_skills`), by
    field name: a suggestion moved from one to the other stays the same suggestion, since none is withdrawn before
    every field is set."""
    # The account's row orders one person's concurrent edits, so that the count of their suggestions holds.
    User.objects.select_for_update().filter(pk=person.pk).values_list("pk").get()
    before = set(Skill.objects.suggestions().filter(suggested_by=person).values_list("pk", flat=True))
    resolved = {
        field: taxonomy_resolve(model=Skill, refs=refs, field=field, person=person)
        for field, (_to, refs) in sides.items()
    }
    named_suggestions = {skill.pk for skills in resolved.values() for skill in skills if skill.is_suggestion}
    # Locked before the links change, as the admin's review locks them: a suggestion cannot be approved, merged or
    # rejected half-way through this change.
    locked = set(
        Skill.objects.select_for_update()
        .filter(Q(pk__in=named_suggestions) | Q(pk__in=before))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not named_suggestions <= locked:  # an admin merged or rejected it since it was read
        raise Conflict(TAXONOMY_CHANGED, code="taxonomy_changed")
    for field, (to, _refs) in sides.items():
        to.set(resolved[field])
    _suggestions_withdraw_unused(person=person)
    waiting = Skill.objects.suggestions().filter(suggested_by=person).count()
    if waiting > settings.SKILL_SUGGESTIONS_PER_PERSON:
        for field, skills in resolved.items():
            added = {skill.pk for skill in skills if skill.is_suggestion and skill.suggested_by_id == person.pk}
            if added - before:
                raise ValidationError({field: [suggestions_cap_message(waiting=waiting)]})
    return resolved


def suggestions_cap_message(*, waiting: int) -> str:
    return (
        f"At most {settings.SKILL_SUGGESTIONS_PER_PERSON} new skills you suggest may wait for a program admin's "
        f"review at a time, and this would make {waiting}. Pick skills from the list, or suggest more once yours "
        "are reviewed."
    )


def _unreferenced(skills):
    for link in Skill.links():
        skills = skills.filter(~Exists(link.through.objects.filter(**{link.skill: OuterRef("pk")})))
    return skills


def _suggestions_withdraw_unused(*, person: User) -> None:
    """A suggestion its author no longer names anywhere (and nobody else does) is withdrawn: a typo corrected
    does not wait in the admins' queue, nor count against the author's cap."""
    _unreferenced(Skill.objects.suggestions().filter(suggested_by=person)).delete()


# --- What program admins do ------------------------------------------------------------------------------------


@transaction.atomic
def taxonomy_terms_import(*, model: type[TaxonomyTerm], names: Iterable[str]) -> dict[str, TaxonomyTerm]:
    """The terms of a program admin's import, by lower-case name, approved: missing ones are added, and a
    participant's suggestion the file names is approved (the admin's file is a curation of its own).

    A new term is spelled as given first.
    """
    first: dict[str, str] = {}
    for name in names:
        name = taxonomy_normalise_name(name)
        if name:
            first.setdefault(name.lower(), name)
    if not first:
        return {}
    terms = _terms_by_lower_name(model, first)
    if model is Skill:
        pending = sorted(term.pk for term in terms.values() if term.is_suggestion)
        if pending:
            # Locked as a review locks them; one merged or rejected meanwhile is added again below.
            list(Skill.objects.select_for_update().filter(pk__in=pending).order_by("pk").values_list("pk"))
            Skill.objects.filter(pk__in=pending).update(status=Skill.Status.APPROVED)
            _profiles_touch(skill_ids=pending)
            terms = _terms_by_lower_name(model, first)
    absent = [display for key, display in first.items() if key not in terms]
    if absent:
        model.objects.bulk_create([model(name=name) for name in absent], ignore_conflicts=True)
        terms = _terms_by_lower_name(model, first)
    return {key: terms[key] for key in first}


@transaction.atomic
def taxonomy_term_add(*, model: type[TaxonomyTerm], name: str, by: User) -> tuple[TaxonomyTerm, bool]:
    """A program admin adds a term to the taxonomy. The same name in any case is the same term: a suggestion of
    that name is approved. Returns the term and whether it is new."""
    name = taxonomy_normalise_name(name)
    existed = bool(_terms_by_lower_name(model, {name.lower(): name}))
    term = taxonomy_terms_import(model=model, names=[name])[name.lower()]
    log.info("%s added the %s %r", by, _label(model), term.name)
    if model is Skill:
        directory_changed()  # mentors who had it as a suggestion now show it
    return term, not existed


def _locked_suggestion(suggestion_id: int) -> Skill:
    """The suggestion, locked; Skill.DoesNotExist (a 404) when there is none with this id (any more)."""
    return Skill.objects.suggestions().select_for_update().get(pk=suggestion_id)


def _owners(skill_ids: Iterable[int]) -> list[tuple[type, list[int]]]:
    """(model, ids) of what names these skills, per kind (profiles, goals…)."""
    skill_ids = list(skill_ids)
    owners = []
    for link in Skill.links():
        named = link.through.objects.filter(**{f"{link.skill}__in": skill_ids})
        owners.append((link.owner_model, list(named.values_list(link.owner, flat=True))))
    return owners


def _search_refresh(user_ids: list[int]) -> None:
    with transaction.atomic():
        # The accounts first, as their owners' saves lock them (skills_assign_each) before their profiles.
        list(User.objects.select_for_update().filter(pk__in=user_ids).order_by("pk").values_list("pk"))
        profile_search_refresh(user_ids=user_ids)


def _profiles_touch(*, skill_ids: Iterable[int]) -> None:
    """What names these skills changed as seen by others: profiles and goals get a new `updated_at` (the
    recommendations refit when a mentor profile's moves), their teachers' search text names them, and the directory
    drops its kept answers."""
    skill_ids = list(skill_ids)
    now = timezone.now()
    for owner_model, owner_ids in _owners(skill_ids):
        if owner_ids and any(f.name == "updated_at" for f in owner_model._meta.fields):
            owner_model.objects.filter(pk__in=owner_ids).update(updated_at=now)
    # A skill that became visible makes the people who teach it findable by it. After the review commits, in a
    # transaction of its own taking the accounts' locks first: the search text is derived, and rewriting those
    # profiles here, holding the skill's lock, deadlocked with their owners' saves, which lock the account, then the
    # skills, then the profile (tests/accounts/test_taxonomy_concurrency.py races them).
    teachers = list(
        Profile.skills.through.objects.filter(skill_id__in=skill_ids).values_list("profile__user_id", flat=True)
    )
    if teachers:
        transaction.on_commit(lambda: _search_refresh(teachers))
    directory_changed()


def _name_free(*, name: str, skill: Skill) -> None:
    others = _terms_by_lower_name(Skill, {name.lower(): name})
    taken = others.get(name.lower())
    if taken is not None and taken.pk != skill.pk:
        raise ValidationError({"name": [f"There is already a skill named “{taken.name}”: merge into it instead."]})


@transaction.atomic
def skill_suggestion_approve(*, suggestion_id: int, by: User, name: str | None = None) -> Skill:
    """The suggestion becomes a skill of the taxonomy, under `name` when given (to mend its spelling): everyone
    sees it where it is named, and it counts in matching."""
    suggestion = _locked_suggestion(suggestion_id)
    if name is not None:
        name = taxonomy_normalise_name(name)
        _name_free(name=name, skill=suggestion)
        suggestion.name = name
    suggestion.status = Skill.Status.APPROVED
    suggestion.full_clean(validate_unique=False, validate_constraints=False)  # the name is checked here
    try:
        with transaction.atomic():
            suggestion.save(update_fields=["name", "status"])
    except IntegrityError:  # someone added the same name meanwhile
        _name_free(name=suggestion.name, skill=suggestion)
        raise
    _profiles_touch(skill_ids=[suggestion.pk])
    log.info("%s approved the skill %r", by, suggestion.name)
    return suggestion


@transaction.atomic
def skill_suggestion_merge(*, suggestion_id: int, into: TaxonomyRef, by: User) -> Skill:
    """Whatever names the suggestion names the approved skill `into` (id or name) instead, once each (a profile
    that had both keeps one), and the suggestion is gone."""
    suggestion = _locked_suggestion(suggestion_id)
    target = _approved_skill(into)
    for link in Skill.links():
        moving = link.through.objects.filter(**{link.skill: suggestion.pk})
        already = link.through.objects.filter(**{link.skill: target.pk}).values(link.owner)
        moving.filter(**{f"{link.owner}__in": already}).delete()
        moving.update(**{link.skill: target.pk})
    suggestion.delete()
    _profiles_touch(skill_ids=[target.pk])
    log.info("%s merged the suggested skill %r into %r", by, suggestion.name, target.name)
    return target


def _approved_skill(ref: TaxonomyRef) -> Skill:
    """An approved skill named by id or by name (any case), to merge into; a 400 naming `into` otherwise."""
    if isinstance(ref, int):
        found, named = Skill.objects.filter(pk=ref).first(), f"with id {ref}"
    else:
        name = taxonomy_normalise_name(ref)
        found, named = _terms_by_lower_name(Skill, {name.lower(): name}).get(name.lower()), f"named “{name}”"
    if found is None or found.is_suggestion:
        raise ValidationError({"into": [f"There is no approved skill {named} to merge into."]})
    return found


@transaction.atomic
def skill_suggestion_reject(*, suggestion_id: int, by: User) -> None:
    """The suggestion is gone, and with it from every profile and goal that named it (never shown to anyone but
    them and admins, so nothing else changes)."""
    suggestion = _locked_suggestion(suggestion_id)
    suggestion.delete()
    log.info("%s rejected the suggested skill %r", by, suggestion.name)
