"""Publishing a match round, once: each proposal still right today becomes a pending request (origin
`match_round`) that holds the mentor's slot until they answer; the others are skipped, each with its reason; then
both sides are told, after the commit: each mentor one digest of their proposals, each mentee their proposal and
what happens next.

Time passes between a run and its publication. A round older than its program's request expiry is not published
at all (409 `round_stale`: run it again); a younger one is checked proposal by proposal against the state of the
day, best score first, and published in part with a report of what was skipped and why.
"""

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import User
from config.errors import Conflict
from config.tasks import task_send
from matching import engine, selectors, tasks
from matching.models import MatchProposal, MatchRound
from mentorship.models import Goal, MentorshipMember, MentorshipRequest
from notifications.services import notify
from programs.models import AdminAction, Membership, Program
from programs.selectors import is_program_admin
from programs.services import admin_action_record

Status = MatchRound.Status
Skip = MatchProposal.SkipReason


@transaction.atomic
def round_publish(*, round_id: int, by: User, site_url: str | None = None) -> MatchRound:
    """Publish round `round_id` in one transaction: the proposals that hold today become pending requests, the
    others are skipped with their reason (`stats`: `published`, `skipped`, `skipped_reasons`). 409
    `already_published`, `not_proposed` (a queued, running, failed or cancelled round), `round_stale`.
    `site_url` starts the emails' links (SITE_URL by default)."""
    match_round = MatchRound.objects.select_for_update().select_related("program").get(pk=round_id)
    program = match_round.program
    if not is_program_admin(by, program):
        raise PermissionDenied("Only the program's admins publish its match rounds.")
    if match_round.status == Status.PUBLISHED:
        raise Conflict("This round is already published.", code="already_published")
    if match_round.status != Status.PROPOSED:
        raise Conflict(f"A {match_round.status} round has nothing to publish.", code="not_proposed")
    if match_round.is_stale:
        ran = timezone.localtime(match_round.finished_at or match_round.created_at)
        raise Conflict(
            f"This round ran on {ran:%Y-%m-%d}, longer ago than the program's request expiry "
            f"({program.request_expiry_days} days): the people in it have moved on since. Run it again with the "
            "same settings and publish the new round.",
            code="round_stale",
        )

    proposals = list(match_round.proposals.order_by("-score", "id"))
    mentor_ids = sorted({p.mentor_id for p in proposals})
    mentee_ids = sorted({p.mentee_id for p in proposals})
    # Same lock order as accepting a request (the mentors' memberships in the program, then the mentees'), so the
    # two never deadlock; an accept waiting on these locks then sees the offers this publishes.
    members = Membership.objects.in_program(program).select_for_update()
    if program.format == Program.Format.PEER:  # peers' memberships by user id, as accepting a peer request does
        peers = sorted({*mentor_ids, *mentee_ids})
        list(members.filter(role=Membership.Role.PEER, user_id__in=peers).order_by("user_id").values("pk"))
    else:
        list(members.mentors().filter(user_id__in=mentor_ids).order_by("user_id").values("pk"))
        list(members.mentees().filter(user_id__in=mentee_ids).order_by("user_id").values("pk"))
    for proposal in proposals:
        proposal.skip_reason = ""
    if program.format == Program.Format.PEER:
        _check_peers_today(program, proposals)
    else:
        _check_today(match_round, proposals)

    now = timezone.now()
    expires = now + dt.timedelta(days=program.request_expiry_days)
    published: list[tuple[MatchProposal, MentorshipRequest]] = []
    for proposal in proposals:
        if proposal.skip_reason:
            continue
        request = MentorshipRequest(
            program=program,
            mentee_id=proposal.mentee_id,
            mentor_id=proposal.mentor_id,
            origin=MentorshipRequest.Origin.MATCH_ROUND,
            message=f"Proposed by the program's match round “{match_round.name}” (score {proposal.score:.0%}).",
            expires_at=expires,
        )
        published.append((proposal, request))

    MentorshipRequest.objects.bulk_create([r for _, r in published], batch_size=2000)
    goals = Goal.objects.filter(mentee_id__in=[p.mentee_id for p, _ in published], status=Goal.Status.OPEN)
    goals_of: dict[int, list[int]] = {}
    for goal_id, mentee_id in goals.values_list("pk", "mentee_id"):
        goals_of.setdefault(mentee_id, []).append(goal_id)
    MentorshipRequest.goals.through.objects.bulk_create(
        [
            MentorshipRequest.goals.through(mentorshiprequest_id=r.pk, goal_id=goal_id)
            for _, r in published
            for goal_id in goals_of.get(r.mentee_id, [])
        ],
        batch_size=5000,
    )
    for proposal, request in published:
        proposal.request = request
    MatchProposal.objects.bulk_update(proposals, ["request", "skip_reason"], batch_size=2000)
    if published:
        directory_changed()  # the offers hold slots
        site_url = site_url or settings.SITE_URL
        # One task fans the emails out from a worker: a round of thousands does not send them from this request.
        transaction.on_commit(lambda: task_send(tasks.announce_published_round, round_id, site_url, required=False))

    reasons = Counter(p.skip_reason for p in proposals if p.skip_reason)
    skipped = {
        "published": len(published),
        "skipped": len(proposals) - len(published),
        "skipped_reasons": {reason: reasons[reason] for reason in Skip.values if reasons[reason]},
    }
    match_round.status = Status.PUBLISHED
    match_round.published_at = now
    match_round.published_by = by
    match_round.stats = {**match_round.stats, **skipped}
    match_round.save(update_fields=["status", "published_at", "published_by", "stats", "updated_at"])
    admin_action_record(
        actor=by,
        kind=AdminAction.Kind.ROUND_PUBLISH,
        program=program,
        target=f"match round {round_id}",
        details=skipped,
    )
    return match_round


def _check_today(match_round: MatchRound, proposals: list[MatchProposal]) -> None:
    """Set `skip_reason` on each proposal that does not hold today, best score first (a mentor's room goes to
    their better proposals): the mentee is still an active mentee of the program and still waiting (room under
    the mentee limit, no request pending), the mentor did not decline them since, and the mentor is still an
    active mentor there, accepting, with a slot left once this publication's earlier offers are counted. In a
    group round, a circle left below the round's minimum by the skips is skipped whole."""
    program = match_round.program
    mentee_ids = sorted({p.mentee_id for p in proposals})
    mentor_ids = sorted({p.mentor_id for p in proposals})
    # Whole-program reads, as a round's pool is read (selectors: long IN lists plan badly), then the few people
    # who stopped waiting are told apart.
    active = set(Membership.objects.in_program(program).mentees().active().values_list("user_id", flat=True))
    waiting = set(selectors.waiting_mentee_ids(program))
    matched = _at_mentee_limit(program, [m for m in mentee_ids if m in active and m not in waiting])
    excluded = selectors.excluded_pairs(program, mentee_ids)
    seats = {
        user_id: (accepting, open_slots)
        for user_id, accepting, open_slots in Membership.objects.in_program(program)
        .mentors()
        .active()
        .with_open_slots()
        .filter(user_id__in=mentor_ids)
        .values_list("user_id", "accepting_requests", "open_slots")
    }
    room = {user_id: open_slots for user_id, (_, open_slots) in seats.items()}

    for proposal in proposals:
        mentee, mentor = proposal.mentee_id, proposal.mentor_id
        if mentee not in active:
            proposal.skip_reason = Skip.MENTEE_LEFT
        elif mentee not in waiting:
            proposal.skip_reason = Skip.MENTEE_MATCHED if mentee in matched else Skip.MENTEE_ASKED
        elif (mentee, mentor) in excluded:
            proposal.skip_reason = Skip.PAIR_EXCLUDED
        elif mentor not in seats:
            proposal.skip_reason = Skip.MENTOR_LEFT
        elif not seats[mentor][0]:
            proposal.skip_reason = Skip.MENTOR_NOT_ACCEPTING
        elif room[mentor] <= 0:
            proposal.skip_reason = Skip.MENTOR_FULL
        else:
            room[mentor] -= 1

    if program.format == Program.Format.GROUP and match_round.min_group_size > 1:
        joining = Counter(p.mentor_id for p in proposals if not p.skip_reason)
        members = selectors.circle_sizes(program, joining)
        for proposal in proposals:
            mentor = proposal.mentor_id
            if not proposal.skip_reason and members.get(mentor, 0) + joining[mentor] < match_round.min_group_size:
                proposal.skip_reason = Skip.CIRCLE_TOO_SMALL


def _at_mentee_limit(program: Program, mentee_ids: list[int]) -> set[int]:
    """Those of `mentee_ids` with as many active mentorships in `program` as it allows."""
    counts = (
        MentorshipMember.objects.active()
        .in_program(program)
        .filter(user_id__in=mentee_ids)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    return {mentee_id for mentee_id, n in counts if n >= program.mentee_limit}


def _check_peers_today(program: Program, proposals: list[MatchProposal]) -> None:
    """A peer round's `skip_reason`s: both peers still active in the program and still waiting for a partner (room
    under the limit, no request pending either way), and neither declined the other since."""
    ids = sorted({p.mentee_id for p in proposals} | {p.mentor_id for p in proposals})
    active = set(
        Membership.objects.in_program(program)
        .filter(role=Membership.Role.PEER, user_id__in=ids)
        .active()
        .values_list("user_id", flat=True)
    )
    waiting = set(selectors.waiting_peer_ids(program))
    excluded = selectors.excluded_peer_pairs(program, ids)
    for proposal in proposals:
        a, b = proposal.mentee_id, proposal.mentor_id
        if not {a, b} <= active:
            proposal.skip_reason = Skip.PEER_LEFT
        elif not {a, b} <= waiting:
            proposal.skip_reason = Skip.PEER_UNAVAILABLE
        elif (a, b) in excluded or (b, a) in excluded:
            proposal.skip_reason = Skip.PAIR_EXCLUDED


# --- The report, in words -------------------------------------------------------------------------------------

# How many proposals were skipped for each reason: (one, several).
SKIPPED_PHRASES = {
    Skip.MENTEE_LEFT: ("mentee left the program", "mentees left the program"),
    Skip.MENTEE_MATCHED: ("mentee already matched", "mentees already matched"),
    Skip.MENTEE_ASKED: ("mentee with a request pending", "mentees with a request pending"),
    Skip.PAIR_EXCLUDED: ("declined by the mentor since", "declined by the mentor since"),
    Skip.MENTOR_LEFT: ("whose mentor left the program", "whose mentor left the program"),
    Skip.MENTOR_NOT_ACCEPTING: ("whose mentor stopped accepting", "whose mentor stopped accepting"),
    Skip.MENTOR_FULL: ("whose mentor is full", "whose mentor is full"),
    Skip.CIRCLE_TOO_SMALL: ("whose circle would be too small", "whose circle would be too small"),
    Skip.PEER_LEFT: ("pair with a peer who left", "pairs with a peer who left"),
    Skip.PEER_UNAVAILABLE: ("pair with a peer paired or asked since", "pairs with a peer paired or asked since"),
}


def publish_report(stats: dict) -> str | None:
    """A published round's stats in a sentence: "3 published; 3 skipped: 2 mentees already matched, 1 whose
    mentor is full." None before publication."""
    if "published" not in stats:
        return None
    words = f"{stats['published']} published"
    if skipped := stats.get("skipped"):
        reasons = stats.get("skipped_reasons") or {}  # rounds published before reasons were kept have none
        parts = [f"{n} {SKIPPED_PHRASES[reason][n != 1]}" for reason in Skip.values if (n := reasons.get(reason))]
        words += f"; {skipped} skipped" + (f": {', '.join(parts)}" if parts else "")
    return words + "."


def explanation_reasons(explanation: dict) -> list[str]:
    """Why a pair was proposed, one line per reason, for the people told of it."""
    reasons = []
    if explanation.get("shared_skills"):
        reasons.append("Skills: " + ", ".join(explanation["shared_skills"]))
    if explanation.get("industry"):
        reasons.append(f"Industry: {explanation['industry']}")
    if explanation.get("shared_goal_words"):
        reasons.append("Goals and experience: " + ", ".join(explanation["shared_goal_words"]))
    if explanation.get("circle"):
        reasons.append(explanation["circle"]["summary"])
    return reasons


def peer_reasons(proposal: MatchProposal) -> str:
    """Why two peers were paired, both ways: "Ana can help Ben with Python; Ben can help Ana with Design."."""
    return engine.describe_pair(proposal.explanation, proposal.mentee.full_name, proposal.mentor.full_name)


# --- Telling both sides ---------------------------------------------------------------------------------------


def round_announce(*, round_id: int, site_url: str) -> int:
    """One email task per mentor of the published round (their digest) and per mentee (their proposal), each
    retried on its own. Returns how many were sent to the queue."""
    published = MatchProposal.objects.filter(round_id=round_id, request__isnull=False).order_by()
    if MatchRound.objects.filter(pk=round_id, program__format=Program.Format.PEER).exists():
        proposal_ids = list(published.values_list("pk", flat=True).order_by("pk"))
        for proposal_id in proposal_ids:  # each pair: one email to each peer
            task_send(tasks.send_round_proposal, proposal_id, site_url, required=False)
        return 2 * len(proposal_ids)
    mentor_ids = list(published.values_list("mentor_id", flat=True).distinct().order_by("mentor_id"))
    for mentor_id in mentor_ids:
        task_send(tasks.send_round_digest, round_id, mentor_id, site_url, required=False)
    proposal_ids = list(published.values_list("pk", flat=True).order_by("pk"))
    for proposal_id in proposal_ids:
        task_send(tasks.send_round_proposal, proposal_id, site_url, required=False)
    return len(mentor_ids) + len(proposal_ids)


def _offers(**filters):
    """Published proposals whose request is still pending (one answered or withdrawn meanwhile is not news)."""
    return (
        MatchProposal.objects.filter(request__status=MentorshipRequest.Status.PENDING, **filters)
        .select_related("mentee", "mentor", "request", "round__program")
        .prefetch_related(Prefetch("request__goals", queryset=Goal.objects.only("id", "title")))
        .order_by("-score", "id")
    )


def round_digest_send(*, round_id: int, mentor_id: int, site_url: str) -> None:
    """The mentor's one email of a published round: every proposal made to them, with the reasons."""
    offers = list(_offers(round_id=round_id, mentor_id=mentor_id))
    if not offers:
        return
    mentor, program = offers[0].mentor, offers[0].round.program
    context = {
        "recipient": mentor,
        "program": program,
        "group": program.format == Program.Format.GROUP,
        "offers": [_offer(proposal, person=proposal.mentee) for proposal in offers],
        "answer_by": min(proposal.request.expires_at for proposal in offers),
    }
    subject = (
        f"{program}: the program proposes {offers[0].mentee} as your mentee"
        if len(offers) == 1
        else f"{program}: the program proposes {len(offers)} mentees to you"
    )
    notify(
        recipient_id=mentor.pk,
        kind="round",
        subject=subject,
        template="emails/round_mentor_digest.txt",
        context=context,
        link=reverse("request-list-page"),
        site_url=site_url,
        once_key=f"round-digest:{round_id}",  # a retried task tells the mentor once
    )


def round_proposal_send(*, proposal_id: int, site_url: str) -> None:
    """The mentee's email of a published round: their proposed mentor, why, and what happens next. A peer round's
    pair: both peers, each with the other's name, and that both must accept."""
    proposal = _offers(pk=proposal_id).first()
    if proposal is None:
        return
    program = proposal.round.program
    if program.format == Program.Format.PEER:
        for person, other in ((proposal.mentee, proposal.mentor), (proposal.mentor, proposal.mentee)):
            context = {
                "recipient": person,
                "other": other,
                "program": program,
                "score": round(proposal.score * 100),
                "reasons": peer_reasons(proposal),
                "answer_by": proposal.request.expires_at,
            }
            notify(
                recipient_id=person.pk,
                kind="round",
                subject=f"{program}: the program proposes you pair up with {other}",
                template="emails/round_peer_proposal.txt",
                context=context,
                link=reverse("request-list-page"),
                site_url=site_url,
                once_key=f"round-proposal:{proposal.pk}",
            )
        return
    context = {
        "recipient": proposal.mentee,
        "program": program,
        "group": program.format == Program.Format.GROUP,
        "offer": _offer(proposal, person=proposal.mentor),
        "answer_by": proposal.request.expires_at,
        "days": program.request_expiry_days,
    }
    notify(
        recipient_id=proposal.mentee_id,
        kind="round",
        subject=f"{program}: the program proposes {proposal.mentor} as your mentor",
        template="emails/round_mentee_proposal.txt",
        context=context,
        link=reverse("request-list-page"),
        site_url=site_url,
        once_key=f"round-proposal:{proposal.pk}",
    )


def _offer(proposal: MatchProposal, *, person: User) -> dict:
    return {
        "person": person,
        "score": round(proposal.score * 100),
        "reasons": explanation_reasons(proposal.explanation),
        "goals": [goal.title for goal in proposal.request.goals.all()],
    }
