"""How the pages name a relationship and a request to the person looking at it, in every format: "Mentoring Maya
Mentee", "Your circle", "Otto's circle", "Peer pair: Ana and Ben", "Ana asks to pair with you".

Words only: who may do what is the services' business (relationships.py, services.py). The people in a
relationship are named by their first names; someone outside it (a program admin) reads full names.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.models import User
from mentorship.models import Mentorship, MentorshipRequest
from programs.models import Program

FORMAT_LABELS = {
    Program.Format.ONE_ON_ONE: "One-on-one",
    Program.Format.GROUP: "Group circle",
    Program.Format.PEER: "Peer pair",
}


def was_member(mentorship: Mentorship, viewer: User) -> bool:
    """Whether `viewer` is or was a member (a circle member who left is one); reads the prefetched members."""
    return any(m.user_id == viewer.pk for m in mentorship.members.all())


def partners_of(mentorship: Mentorship, viewer: User) -> list[User]:
    """The people in it besides `viewer`, mentor first."""
    return [person for person in mentorship.people() if person.pk != viewer.pk]


def mentorship_title(mentorship: Mentorship, viewer: User) -> str:
    """The page's heading: what this relationship is to `viewer`."""
    inside = mentorship.mentor_id == viewer.pk or was_member(mentorship, viewer)
    if mentorship.is_circle:
        if mentorship.mentor_id == viewer.pk:
            return "Your circle"
        return f"{_name(mentorship.mentor, inside)}'s circle"
    if mentorship.is_peer:
        people = sorted(mentorship.people(), key=lambda person: person.pk != viewer.pk)  # the viewer first
        return "Peer pair: " + " and ".join(_name(person, inside) for person in people)
    side = mentorship.side_of(viewer)
    if side == "mentor":
        return f"Mentoring {_full(mentorship.mentee)}"
    if side == "mentee":
        return f"Mentored by {_full(mentorship.mentor)}"
    return mentorship.label


def mentorship_card_title(mentorship: Mentorship, viewer: User) -> str:
    """A list's short name for it (the card says its format): a one-on-one or a pair by the other person, or both
    people to someone outside it; a circle by its title."""
    if mentorship.is_peer:
        people = [person for person in mentorship.people() if person.pk != viewer.pk]
        return " and ".join(_full(person) for person in people)
    if mentorship.format == Program.Format.ONE_ON_ONE and mentorship.side_of(viewer) is not None:
        other = mentorship.mentee if mentorship.mentor_id == viewer.pk else mentorship.mentor
        return _full(other)
    return mentorship_title(mentorship, viewer)


def request_heading(request: MentorshipRequest, viewer: User, *, mentor_url: str = "") -> SafeString:
    """What a pending or answered request is, from `viewer`'s side: "Ana asks to pair with you", "You asked Ben to
    pair", "Maya asks to join your circle", or (one-on-one, as before) the other person's name. `mentor_url` links the
    mentor's name where it appears."""
    asker, asked = request.mentee, request.mentor
    received, sent = asked.pk == viewer.pk, asker.pk == viewer.pk
    program_format = request.program.format
    if program_format == Program.Format.PEER:
        if request.origin == MentorshipRequest.Origin.MATCH_ROUND:
            if received or sent:
                return format_html("The program proposes you pair with {}", _full(asker if received else asked))
            return format_html("Proposed pair: {} and {}", _full(asker), _full(asked))
        if received:
            return format_html("{} asks to pair with you", _full(asker))
        if sent:
            return format_html("You asked {} to pair", _full(asked))
        return format_html("{} asks {} to pair", _full(asker), _full(asked))
    mentor = format_html('<a href="{}">{}</a>', mentor_url, _full(asked)) if mentor_url else _full(asked)
    if program_format == Program.Format.GROUP:
        if received:
            return format_html("{} asks to join your circle", _full(asker))
        if sent:
            return format_html("You asked to join {}'s circle", mentor)
        return format_html("{} asks to join {}'s circle", _full(asker), mentor)
    if received:
        return format_html("{}", _full(asker))
    if sent:
        return format_html("{}", mentor)
    return format_html("{} → {}", _full(asker), mentor)


def peer_offer_progress(request: MentorshipRequest, viewer: User) -> str:
    """A match round's peer proposal waits for both peers' yes: where it stands, from `viewer`'s side."""
    asker, asked = request.mentee, request.mentor
    said_yes = {asker.pk: request.sender_accepted_at is not None, asked.pk: request.recipient_accepted_at is not None}
    if viewer.pk in said_yes:
        other = asked if viewer.pk == asker.pk else asker
        if said_yes[viewer.pk]:
            return f"You have accepted; the pair starts when {other.get_short_name()} accepts too."
        if said_yes[other.pk]:
            return f"{other.get_short_name()} has accepted; your answer completes the pair."
        return f"You both must accept; {other.get_short_name()} has not answered yet."
    accepted = [_full(person) for person in (asker, asked) if said_yes[person.pk]]
    if accepted:
        return f"{accepted[0]} has accepted; waiting for the other."
    return "Both must accept; neither has answered yet."


def accept_done(request: MentorshipRequest, viewer: User) -> str:
    """What the page says once `viewer` accepted the request."""
    asker, asked = request.mentee, request.mentor
    program_format = request.program.format
    if program_format == Program.Format.PEER:
        other = asked if viewer.pk == asker.pk else asker
        first_of_two = request.origin == MentorshipRequest.Origin.MATCH_ROUND and not (
            request.sender_accepted_at or request.recipient_accepted_at
        )
        if first_of_two:
            return f"Accepted: the pair starts when {other.get_short_name()} accepts too."
        return f"You and {other.get_short_name()} are peer partners now."
    if program_format == Program.Format.GROUP:
        return f"Request accepted: {_full(asker)} joined your circle."
    return f"Request accepted: {_full(asker)} is your mentee now."


def circle_places(mentorship: Mentorship, capacity: int | None) -> str:
    """ "3 of 4 places taken" for the circle's mentor (who knows their capacity), "3 members" otherwise."""
    members = len(mentorship.current_members())
    if capacity is not None:
        return f"{members} of {capacity} place{'s' if capacity != 1 else ''} taken"
    return f"{members} member{'s' if members != 1 else ''}"


def _name(person: User, inside: bool) -> str:
    return person.get_short_name() if inside else _full(person)


def _full(person: User | None) -> str:
    return str(person) if person is not None else "a mentee who left"
