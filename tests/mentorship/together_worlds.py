"""The three formats for the relationship's tests: (the mentorship, its people) for a one-on-one, a circle and a
peer pair."""

import datetime as dt

from django.utils import timezone

from tests.factories import MentorshipFactory
from tests.formats import circle_world, peer_world

FORMATS = ("one_on_one", "circle", "peer")


def world_of(kind: str, mentee=None, mentor=None):
    """(mentorship, [people in it]) of `kind`: Maya and Otto; Otto's circle of Ana, Ben, Cy (Dan left it); Ivy and
    Jon."""
    if kind == "one_on_one":
        mentorship = MentorshipFactory(mentee=mentee, mentor=mentor)
        return mentorship, [mentor, mentee]
    if kind == "circle":
        world = circle_world(mentor)
        return world["circle"], [world["mentor"], world["ana"], world["ben"], world["cy"]]
    world = peer_world()
    return world["pair"], [world["ivy"], world["jon"]]


def complete(mentorship) -> None:
    now = timezone.now()
    mentorship.status, mentorship.ended_at = "completed", now
    mentorship.save(update_fields=["status", "ended_at"])
    mentorship.members.filter(status="active").update(status="ended", left_at=now)


def tomorrow(days: int = 1) -> str:
    return str(timezone.localdate() + dt.timedelta(days=days))
