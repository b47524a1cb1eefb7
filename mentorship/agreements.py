"""The kick-off agreement of a mentorship: how often they meet, how, what they expect of each other, until when.

Whoever writes it (first or again) confirms it by writing; every other person in it confirms that version. An edit
that changes anything raises the version, so that everyone else confirms again. Locks: the mentorship's row first
(as every write of a running mentorship), then the agreement's."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict
from mentorship import naming
from mentorship.models import Agreement, AgreementConfirmation, Mentorship
from mentorship.participants import require_participant, require_running
from notifications.services import notify

FIELDS = ("cadence_days", "channel", "meeting_link", "place", "expectations", "ends_on")
OUTLINE = (
    "Goals for our time together: ",
    "How we'll meet (and what happens when one of us cannot): ",
    "How we'll give each other feedback: ",
    "Confidentiality: what stays between us: ",
    "How we'll know we are done: ",
)


@dataclass
class AgreementState:
    """The agreement as its people read it: its terms (the program's defaults before anyone proposed one), who
    confirmed the current version and who has yet to."""

    mentorship: Mentorship
    agreement: Agreement | None
    terms: dict
    confirmed_by: list[User] = field(default_factory=list)
    waiting_for: list[User] = field(default_factory=list)

    @property
    def proposed(self) -> bool:
        return self.agreement is not None

    @property
    def version(self) -> int:
        return self.agreement.version if self.agreement else 0

    def confirmed(self, user: User) -> bool:
        return any(person.pk == user.pk for person in self.confirmed_by)


def _defaults(mentorship: Mentorship) -> dict:
    program = mentorship.program
    return {
        "cadence_days": program.session_cadence_days,
        "channel": Agreement.Channel.VIDEO,
        "meeting_link": "",
        "place": "",
        "expectations": "",
        "ends_on": program.ends_on,
    }


def agreement_state(*, mentorship: Mentorship) -> AgreementState:
    """Reads the agreement and its confirmations in two queries (the people are the mentorship's, prefetched)."""
    agreement = (
        Agreement.objects.filter(mentorship=mentorship).select_related("edited_by").first() if mentorship.pk else None
    )
    people = mentorship.people()
    if agreement is None:
        return AgreementState(mentorship, None, _defaults(mentorship), [], people)
    said_yes = set(
        AgreementConfirmation.objects.filter(agreement=agreement, version=agreement.version).values_list(
            "user_id", flat=True
        )
    )
    return AgreementState(
        mentorship,
        agreement,
        {name: getattr(agreement, name) for name in FIELDS},
        [person for person in people if person.pk in said_yes],
        [person for person in people if person.pk not in said_yes],
    )


def _check_end(mentorship: Mentorship, ends_on: dt.date | None, before: dt.date | None) -> None:
    if ends_on is None or ends_on == before:
        return
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": ["The end date cannot be in the past."]})
    program_end = mentorship.program.ends_on
    if program_end is not None and ends_on > program_end:
        raise ValidationError({"ends_on": [f"The program ends on {program_end:%-d %B %Y}: choose that day or before."]})


def _lock(mentorship_id: int) -> Mentorship:
    # The mentorship's row only: a peer pair has no mentor, and an outer join's null side cannot be locked.
    return Mentorship.objects.select_for_update(of=("self",)).select_related("program", "mentor").get(pk=mentorship_id)


@transaction.atomic
def agreement_write(*, mentorship: Mentorship, by: User, terms: dict) -> Agreement:
    """Propose the agreement, or change it: a change raises the version, confirms it for `by` and asks the others
    to confirm again (they are told). Writing the same terms again only confirms them for `by`."""
    mentorship = _lock(mentorship.pk)
    require_participant(mentorship, by, doing="agree on how they work together")
    require_running(mentorship)
    agreement = Agreement.objects.select_for_update().filter(mentorship=mentorship).first()
    values = {**_defaults(mentorship), **terms}
    _check_end(mentorship, values["ends_on"], agreement.ends_on if agreement else None)
    first = agreement is None
    if first:
        agreement = Agreement(mentorship=mentorship, version=1)
    changed = first or any(getattr(agreement, name) != values[name] for name in FIELDS)
    if changed:
        for name in FIELDS:
            setattr(agreement, name, values[name])
        if not first:
            agreement.version += 1
        agreement.edited_by = by
        agreement.full_clean()
        agreement.save()
    AgreementConfirmation.objects.get_or_create(
        agreement=agreement, user=by, version=agreement.version, defaults={"confirmed_at": timezone.now()}
    )
    if changed:
        _tell_the_others(mentorship, by, proposed=first)
    return agreement


@transaction.atomic
def agreement_confirm(*, mentorship: Mentorship, by: User) -> Agreement:
    mentorship = _lock(mentorship.pk)
    require_participant(mentorship, by, doing="confirm their agreement")
    require_running(mentorship)
    agreement = Agreement.objects.select_for_update().filter(mentorship=mentorship).first()
    if agreement is None:
        raise Conflict("Nobody has proposed an agreement yet: propose one.", code="not_proposed")
    _, created = AgreementConfirmation.objects.get_or_create(
        agreement=agreement, user=by, version=agreement.version, defaults={"confirmed_at": timezone.now()}
    )
    if not created:
        raise Conflict("You have confirmed this version already.", code="already_confirmed")
    return agreement


def _tell_the_others(mentorship: Mentorship, by: User, *, proposed: bool) -> None:
    link = reverse("mentorship-page", args=[mentorship.pk])
    for person in mentorship.people():
        if person.pk == by.pk:
            continue
        title = naming.mentorship_title(mentorship, person)
        what = "proposed an agreement" if proposed else "changed your agreement"
        notify(
            recipient_id=person.pk,
            kind="agreement",
            subject=f"{by.get_short_name()} {what}: please read and confirm it",
            template="emails/agreement_changed.txt",
            context={"recipient": person, "author": by, "title": title, "proposed": proposed},
            link=link,
        )
