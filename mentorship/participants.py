"""Who is in a mentorship now, as a query: the mentor and the current members (those of a completed one ended with
it; a member who left a circle is no longer in it). The agreement, the action items and the conversation are
these people's."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from accounts.models import User
from config.errors import Conflict
from mentorship.models import Mentorship, MentorshipMember

IN_IT = (MentorshipMember.Status.ACTIVE, MentorshipMember.Status.ENDED)


def mentorships_participating(user: User) -> QuerySet[Mentorship]:
    """The mentorships `user` is in now (Mentorship.people() as a query)."""
    rows = MentorshipMember.objects.filter(user=user, status__in=IN_IT).values("mentorship_id")
    return Mentorship.objects.filter(Q(mentor=user) | Q(pk__in=rows))


def mentorship_ids_participating(user: User) -> QuerySet:
    """The ids of the same mentorships, from the member rows alone (they carry the mentor too; every mentorship
    started with a member): the navigation counts unread messages on every page without reading mentorships."""
    rows = MentorshipMember.objects.filter(Q(mentor=user) | Q(user=user, status__in=IN_IT))
    return rows.values("mentorship_id")


def require_participant(mentorship: Mentorship, user: User, *, doing: str) -> None:
    """403 for someone who may see the mentorship (a program admin) but is not in it."""
    if user.pk not in {person.pk for person in mentorship.people()}:
        raise PermissionDenied(f"Only the people in this mentorship {doing}.")


def require_running(mentorship: Mentorship) -> None:
    if not mentorship.is_active:
        raise Conflict("This mentorship has ended; it takes no changes.", code="mentorship_ended")
