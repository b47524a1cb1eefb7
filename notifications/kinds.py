"""Every kind of notice the platform sends: its name in the settings page, and whether a person may turn it down.

Security notices (sign-up links, password resets, address changes) always leave at once: nobody can turn them off
or hold them for a digest."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    name: str
    security: bool = False


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("request", "Mentorship requests: received, accepted, declined, closed"),
        Kind("round", "Match round proposals"),
        Kind("program", "Program invitations and membership"),
        Kind("meeting", "Meetings: invitations, changes, cancellations and reminders"),
        Kind("agreement", "Agreements: proposed or changed, to confirm"),
        Kind("message", "Messages in your mentorships (at most one email per conversation per 15 minutes)"),
        Kind("action_item", "Action items someone gives you"),
        Kind("nudge", "Nudges when a mentorship has gone quiet"),
        Kind("request_reminder", "Reminders of requests waiting for your answer"),
        Kind("survey", "Surveys about your mentorship, to answer"),
        Kind("skills", "Skill ratings: where you start, and again at completion"),
        Kind("account", "Account security: sign-up, password and email changes", security=True),
    )
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.name) for kind in KINDS.values()]
