"""The program admin's writes on match rounds: create (queued for the workers), override a proposal, publish,
cancel. The run itself is matching.runner's."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import MenteeProfile, MentorProfile, User
from config.errors import Conflict
from matching import engine, selectors
from matching.models import MatchProposal, MatchRound
from matching.runner import engine_settings, round_enqueue
from mentorship.models import Goal, Mentorship, MentorshipRequest
from mentorship.services import notify_request
from programs.models import AdminAction
from programs.services import admin_action_record

Status = MatchRound.Status
DEFAULT_WEIGHTS = {"skills": 1.0, "industry": 0.5, "goals": 1.0}
OPTION_FIELDS = {"mode", "top_k", "min_score", "max_timezone_hours"}


def _require_admin(user: User) -> None:
    if not user.is_program_admin:
        raise PermissionDenied("Only program admins run match rounds.")


@transaction.atomic
def round_create(
    *,
    name: str,
    created_by: User | None,
    weights: dict | None = None,
    mode: str = MatchRound.Mode.OPTIMAL,
    top_k: int = 50,
    min_score: float = 0.0,
    same_industry: bool = False,
    max_timezone_hours: float | None = None,
    enqueue: bool = True,
) -> MatchRound:
    """Queue a round; the worker picks it up once this transaction commits (unless `enqueue` is off, for a
    caller that runs it itself). `created_by` is None for the command line."""
    if created_by is not None:
        _require_admin(created_by)
    match_round = MatchRound(
        name=name,
        created_by=created_by,
        weights={**DEFAULT_WEIGHTS, **(weights or {})},
        mode=mode,
        top_k=top_k,
        min_score=min_score,
        same_industry=same_industry,
        max_timezone_hours=max_timezone_hours,
    )
    try:
        engine_settings(match_round)
    except (TypeError, ValueError) as error:
        # The engine names the setting first ("skills: a weight cannot be negative."): a weight or an option.
        field = str(error).partition(":")[0]
        raise ValidationError(
            {"weights" if field in engine.BLOCKS or field not in OPTION_FIELDS else field: [str(error)]}
        ) from None
    if not selectors.waiting_mentees().exists():
        raise Conflict("No mentee is waiting for a mentor: the pool is empty.", code="empty_pool")
    if not selectors.available_mentors().exists():
        raise Conflict("No mentor is accepting requests with an open slot: the pool is empty.", code="empty_pool")
    match_round.full_clean()
    match_round.save()
    admin_action_record(
        actor=created_by,
        kind=AdminAction.Kind.ROUND_CREATE,
        target=f"match round {match_round.pk}",
        details={"name": name, "weights": match_round.weights, "mode": mode},
    )
    if enqueue:
        round_id = match_round.pk
        transaction.on_commit(lambda: round_enqueue(round_id=round_id))
    return match_round


@transaction.atomic
def round_cancel(*, round_id: int, by: User) -> MatchRound:
    _require_admin(by)
    match_round = MatchRound.objects.select_for_update().get(pk=round_id)
    if match_round.status not in (Status.QUEUED, Status.RUNNING, Status.PROPOSED):
        raise Conflict(f"A {match_round.status} round cannot be cancelled.", code="not_cancellable")
    match_round.status = Status.CANCELLED
    match_round.finished_at = match_round.finished_at or timezone.now()
    match_round.save(update_fields=["status", "finished_at", "updated_at"])
    admin_action_record(actor=by, kind=AdminAction.Kind.ROUND_CANCEL, target=f"match round {round_id}")
    return match_round


# --- Review and publish -----------------------------------------------------------------------------------


@transaction.atomic
def proposal_override(*, proposal_id: int, mentor_id: int, by: User) -> MatchProposal:
    """An admin proposes another mentor, one with a slot still open once this round's proposals are counted."""
    _require_admin(by)
    proposal = MatchProposal.objects.select_related("round").get(pk=proposal_id)
    match_round = MatchRound.objects.select_for_update().get(pk=proposal.round_id)
    if match_round.status != Status.PROPOSED:
        raise Conflict(f"Proposals of a {match_round.status} round cannot change.", code="not_proposed")
    if mentor_id == proposal.mentor_id:
        return proposal
    mentor = selectors.available_mentors().filter(user_id=mentor_id).first()
    if mentor is None:
        if not MentorProfile.objects.filter(user_id=mentor_id).exists():
            raise ValidationError({"mentor": [f"No mentor with id {mentor_id}."]})
        raise Conflict("That mentor has no open slot or is not accepting requests.", code="mentor_full")
    in_this_round = match_round.proposals.filter(mentor_id=mentor_id).exclude(pk=proposal.pk).count()
    if in_this_round >= mentor.open_slots:
        raise Conflict("That mentor's open slots are all taken by this round's proposals.", code="mentor_full")
    if (proposal.mentee_id, mentor_id) in selectors.excluded_pairs([proposal.mentee_id]):
        raise Conflict("This mentee and mentor were paired before, or the mentor declined the mentee.", code="excluded")

    # Scored against the pool's vocabulary, as the round was, so the new score compares with the others.
    weights, _ = engine_settings(match_round)
    mentees = selectors.mentee_pool([proposal.mentee_id, *selectors.waiting_mentee_ids()])
    mentors, _ = selectors.mentor_pool(selectors.available_mentors())
    (scored,) = engine.score_pairs(mentees, mentors, [(proposal.mentee_id, mentor_id)], weights=weights)
    previous_mentor = proposal.mentor_id
    proposal.proposed_mentor_id = proposal.proposed_mentor_id or proposal.mentor_id
    proposal.mentor_id = mentor_id
    proposal.overridden_by = by
    proposal.score = scored.score
    proposal.explanation = scored.explanation
    proposal.save(update_fields=["mentor", "proposed_mentor", "overridden_by", "score", "explanation", "updated_at"])
    admin_action_record(
        actor=by,
        kind=AdminAction.Kind.PROPOSAL_OVERRIDE,
        target=f"proposal {proposal.pk} of match round {match_round.pk}",
        details={"mentee": proposal.mentee_id, "from_mentor": previous_mentor, "to_mentor": mentor_id},
    )
    return proposal


@transaction.atomic
def round_publish(*, round_id: int, by: User) -> MatchRound:
    """Turn the proposals into pending requests (origin `match_round`), exactly once, in one transaction.

    Time passes between a run and its publication: a proposal whose mentee found a mentor meanwhile, or whose
    mentor has no slot left, is skipped and counted in the stats rather than published over the rules.
    """
    _require_admin(by)
    match_round = MatchRound.objects.select_for_update().get(pk=round_id)
    if match_round.status == Status.PUBLISHED:
        raise Conflict("This round is already published.", code="already_published")
    if match_round.status != Status.PROPOSED:
        raise Conflict(f"A {match_round.status} round has nothing to publish.", code="not_proposed")

    proposals = list(match_round.proposals.order_by("-score", "id"))
    mentor_ids = sorted({p.mentor_id for p in proposals})
    mentee_ids = sorted({p.mentee_id for p in proposals})
    # Same lock order as accepting a request (mentors, then mentees), so the two never deadlock.
    list(MentorProfile.objects.select_for_update().filter(user_id__in=mentor_ids).order_by("user_id").values("pk"))
    list(MenteeProfile.objects.select_for_update().filter(user_id__in=mentee_ids).order_by("user_id").values("pk"))
    open_slots = dict(selectors.available_mentors().filter(user_id__in=mentor_ids).values_list("user_id", "open_slots"))
    busy = set(
        User.objects.filter(pk__in=mentee_ids)
        .filter(
            Q(mentorships_as_mentee__status=Mentorship.Status.ACTIVE)
            | Q(requests_sent__status=MentorshipRequest.Status.PENDING)
        )
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    expires = now + dt.timedelta(days=settings.REQUEST_EXPIRY_DAYS)
    published: list[tuple[MatchProposal, MentorshipRequest]] = []
    for proposal in proposals:
        if proposal.mentee_id in busy or open_slots.get(proposal.mentor_id, 0) <= 0:
            continue
        open_slots[proposal.mentor_id] -= 1
        busy.add(proposal.mentee_id)
        request = MentorshipRequest(
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
    MatchProposal.objects.bulk_update([p for p, _ in published], ["request"], batch_size=2000)
    for _, request in published:
        notify_request(request, "offered")
    directory_changed()  # the offers hold slots

    match_round.status = Status.PUBLISHED
    match_round.published_at = now
    match_round.published_by = by
    match_round.stats = {**match_round.stats, "published": len(published), "skipped": len(proposals) - len(published)}
    match_round.save(update_fields=["status", "published_at", "published_by", "stats", "updated_at"])
    admin_action_record(
        actor=by,
        kind=AdminAction.Kind.ROUND_PUBLISH,
        target=f"match round {round_id}",
        details={"published": len(published), "skipped": len(proposals) - len(published)},
    )
    return match_round
