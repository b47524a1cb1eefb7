"""How a published round's proposed pair turned out: the one definition that the weights fit (evaluation.weights)
and a round's page (matching.round_outcomes) both read.

A proposal → its request (accepted, declined, expired, withdrawn) → the stay it began (the MentorshipMember row
naming that request: a one-on-one's mentee, a circle member, or the asking peer of a pair) → how that stay went:
the sessions of its mentorship the proposed mentee came to, and the ratings of those sessions by the two people
proposed (the mentee and the mentor, or the two peers; in a circle, that member and its mentor).

Reading the stay rather than the mentorship is what makes a circle work: its mentorship began with its first
member's request and goes on after one member leaves; each member's stay is their own outcome.
"""

from django.db.models import (
    Case,
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from matching.models import MatchProposal, MatchRound
from mentorship.models import Feedback, MentorshipMember, MentorshipRequest, Session

GOOD, POOR, UNLABELLED = "good", "poor", ""
GOOD_MIN_SESSIONS = 3  # a good pair met at least this often…
GOOD_MIN_RATING = 4.0  # …and rated its sessions this well on average (both people's ratings together)
POOR_BELOW_SESSIONS = 3  # an ended stay with fewer sessions than this ended early: poor
POOR_BELOW_RATING = 3.0  # or its sessions were rated below this on average
POOR_ANSWERS = (MentorshipRequest.Status.DECLINED, MentorshipRequest.Status.EXPIRED)  # never started: poor
ENDED = (MentorshipMember.Status.LEFT, MentorshipMember.Status.ENDED)
IN_WORDS = (
    f"Good: a pair that completed with {GOOD_MIN_SESSIONS} sessions or more, rated {GOOD_MIN_RATING:g} or better on "
    f"average; poor: one declined, expired, or ended with fewer than {POOR_BELOW_SESSIONS} sessions or rated under "
    f"{POOR_BELOW_RATING:g}; the others are still going, withdrawn, or in between."
)


def _stay_of_proposal():
    """The member row the proposal's request began, for the proposed mentee (a peer pair has two rows on one
    request: the asking peer's is the one)."""
    return MentorshipMember.objects.filter(request_id=OuterRef("request_id"), user_id=OuterRef("mentee_id"))


def _during_the_stay(session: str) -> Q:
    """Sessions (`session`: the path to them) of the stay's mentorship that the proposed mentee came to while in it:
    one who left a circle and came back has a second stay, whose sessions are not the first one's. One Q, so that
    every condition on the members speaks of the same member row."""
    member = f"{session}mentorship__members__"
    return (
        Q(**{f"{member}request_id": OuterRef("request_id"), f"{member}user_id": OuterRef("mentee_id")})
        & Q(**{f"{session}attendees": OuterRef("mentee_id")})
        & Q(**{f"{session}date__gte": F(f"{member}joined_at__date")})
        & (Q(**{f"{member}left_at__isnull": True}) | Q(**{f"{session}date__lte": F(f"{member}left_at__date")}))
    )


def _scalar(queryset: QuerySet, function: str, field: str, output) -> Subquery:
    """One aggregate over `queryset` as a subquery. A bare SQL function is not one Django groups by, so the
    subquery answers one row whatever it holds (COUNT 0, AVG NULL when empty)."""
    return Subquery(queryset.order_by().values(value=Func(F(field), function=function, output_field=output))[:1])


def with_outcome(proposals: QuerySet) -> QuerySet:
    """`proposals` (MatchProposal) annotated with how each turned out:

    `request_status` ("" when it became no request), `stay_status` (the stay's: active / left / ended, or None when
    it began none), `sessions_held` (the stay's sessions the mentee came to), `ratings`, `rating_average` (of those
    sessions, by the two proposed people; None without any) and `outcome`: GOOD, POOR or UNLABELLED (active,
    withdrawn, pending, skipped, or middling)."""
    attended = Session.objects.filter(_during_the_stay(""))
    rated = Feedback.objects.filter(
        Q(author_id=OuterRef("mentee_id")) | Q(author_id=OuterRef("mentor_id")), _during_the_stay("session__")
    )
    annotated = proposals.annotate(
        request_status=Coalesce(F("request__status"), Value(""), output_field=CharField()),
        stay_status=Subquery(_stay_of_proposal().values("status")[:1]),
        sessions_held=Coalesce(_scalar(attended, "COUNT", "pk", IntegerField()), 0),
        ratings=Coalesce(_scalar(rated, "COUNT", "pk", IntegerField()), 0),
        rating_average=Cast(_scalar(rated, "AVG", "rating", FloatField()), FloatField()),
    )
    ended = Q(stay_status__in=ENDED)
    return annotated.annotate(
        outcome=Case(
            When(
                ended & Q(sessions_held__gte=GOOD_MIN_SESSIONS, rating_average__gte=GOOD_MIN_RATING),
                then=Value(GOOD),
            ),
            When(
                Q(request_status__in=POOR_ANSWERS)
                | (ended & (Q(sessions_held__lt=POOR_BELOW_SESSIONS) | Q(rating_average__lt=POOR_BELOW_RATING))),
                then=Value(POOR),
            ),
            default=Value(UNLABELLED),
            output_field=CharField(),
        )
    )


def published_proposals(program) -> QuerySet:
    """The proposals of `program`'s published rounds, each with its outcome (with_outcome)."""
    published = MatchProposal.objects.filter(round__program=program, round__status=MatchRound.Status.PUBLISHED)
    return with_outcome(published)
