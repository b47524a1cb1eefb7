"""The program admin's writes on match rounds: create (queued for the workers), override a proposal, publish,
cancel. The run itself is matching.runner's."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.directory import directory_changed
from accounts.models import User
from config.errors import Conflict
from matching import engine, review, selectors
from matching.models import MatchProposal, MatchRound
from matching.runner import engine_settings, round_enqueue
from mentorship.models import Goal, MentorshipRequest
from mentorship.services import notify_request
from programs.models import AdminAction, Membership, Program
from programs.selectors import is_program_admin
from programs.services import admin_action_record, program_require_open

Status = MatchRound.Status
OPTION_FIELDS = {"mode", "top_k", "min_score", "max_timezone_hours"}


def _require_admin(user: User, program: Program) -> None:
    if not is_program_admin(user, program):
        raise PermissionDenied("Only the program's admins run its match rounds.")


@transaction.atomic
def round_create(
    *,
    program: Program,
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
    """Queue a round over `program`'s pool; the worker picks it up once this transaction commits (unless `enqueue`
    is off, for a caller that runs it itself). `created_by` is None for the command line. Weights not given are
    the program's defaults. A cohort past its end takes no new round (409 `program_ended`)."""
    if created_by is not None:
        _require_admin(created_by, program)
    program_require_open(program, action="match rounds")
    match_round = MatchRound(
        program=program,
        name=name,
        created_by=created_by,
        weights={**program.default_weights, **(weights or {})},
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
    empty = selectors.pool_is_empty(program)
    if empty:
        raise Conflict(empty, code="empty_pool")
    match_round.full_clean()
    match_round.save()
    admin_action_record(
        actor=created_by,
        kind=AdminAction.Kind.ROUND_CREATE,
        program=program,
        target=f"match round {match_round.pk}",
        details={"name": name, "weights": match_round.weights, "mode": mode},
    )
    if enqueue:
        round_id = match_round.pk
        transaction.on_commit(lambda: round_enqueue(round_id=round_id))
    return match_round


@transaction.atomic
def round_cancel(*, round_id: int, by: User) -> MatchRound:
    match_round = MatchRound.objects.select_for_update().select_related("program").get(pk=round_id)
    _require_admin(by, match_round.program)
    if match_round.status not in (Status.QUEUED, Status.RUNNING, Status.PROPOSED):
        raise Conflict(f"A {match_round.status} round cannot be cancelled.", code="not_cancellable")
    match_round.status = Status.CANCELLED
    match_round.finished_at = match_round.finished_at or timezone.now()
    match_round.save(update_fields=["status", "finished_at", "updated_at"])
    admin_action_record(
        actor=by, kind=AdminAction.Kind.ROUND_CANCEL, program=match_round.program, target=f"match round {round_id}"
    )
    return match_round


# --- Review and publish -----------------------------------------------------------------------------------


@transaction.atomic
def proposal_override(*, proposal_id: int, mentor_id: int, by: User, confirm: bool = False) -> MatchProposal:
    """An admin proposes another mentor: one of the program's, with a slot still open once this round's other
    proposals are counted, never the mentee themselves nor a pair excluded. A pair the candidates list warns of (a low
    score, a rule of the round broken: matching.review) is refused with that warning's code unless `confirm`."""
    proposal = MatchProposal.objects.select_related("round").get(pk=proposal_id)
    match_round = MatchRound.objects.select_for_update().select_related("program").get(pk=proposal.round_id)
    program = match_round.program
    _require_admin(by, program)
    if match_round.status != Status.PROPOSED:
        raise Conflict(f"Proposals of a {match_round.status} round cannot change.", code="not_proposed")
    if mentor_id == proposal.mentor_id:
        return proposal
    if mentor_id == proposal.mentee_id:
        raise ValidationError({"mentor": ["A mentee cannot be their own mentor."]})
    room = selectors.mentor_room_after_round(match_round, except_proposal_id=proposal.pk, mentor_ids=[mentor_id])
    if mentor_id not in room:
        if not Membership.objects.in_program(program).mentors().active().filter(user_id=mentor_id).exists():
            raise ValidationError({"mentor": [f"No mentor of {program} with id {mentor_id}."]})
        raise Conflict("That mentor has no open slot or is not accepting requests.", code="mentor_full")
    if room[mentor_id][1] <= 0:
        raise Conflict("That mentor's open slots are all taken by this round's proposals.", code="mentor_full")
    if (proposal.mentee_id, mentor_id) in selectors.excluded_pairs(program, [proposal.mentee_id]):
        raise Conflict("This mentee and mentor were paired before, or the mentor declined the mentee.", code="excluded")

    pair = review.pair_reviews(match_round, proposal.mentee_id, [mentor_id])[mentor_id]
    if pair.warnings and not confirm:
        raise Conflict(
            f"{pair.warnings[0].detail} Confirm to propose them anyway.",
            code=pair.warnings[0].code,
            warnings=[{"code": w.code, "detail": w.detail} for w in pair.warnings],
        )
    previous_mentor = proposal.mentor_id
    proposal.proposed_mentor_id = proposal.proposed_mentor_id or proposal.mentor_id
    proposal.mentor_id = mentor_id
    proposal.overridden_by = by
    proposal.score = pair.score
    proposal.explanation = pair.explanation
    proposal.save(update_fields=["mentor", "proposed_mentor", "overridden_by", "score", "explanation", "updated_at"])
    admin_action_record(
        actor=by,
        kind=AdminAction.Kind.PROPOSAL_OVERRIDE,
        program=program,
        target=f"proposal {proposal.pk} of match round {match_round.pk}",
        details={
            "mentee": proposal.mentee_id,
            "from_mentor": previous_mentor,
            "to_mentor": mentor_id,
            **({"confirmed": [w.code for w in pair.warnings]} if pair.warnings else {}),
        },
    )
    return proposal


@transaction.atomic
def round_publish(*, round_id: int, by: User) -> MatchRound:
    """Turn the proposals into pending requests (origin `match_round`), exactly once, in one transaction.

    Time passes between a run and its publication: a proposal whose mentee found a mentor meanwhile, or whose
    mentor has no slot left, is skipped and counted in the stats rather than published over the rules.
    """
    match_round = MatchRound.objects.select_for_update().select_related("program").get(pk=round_id)
    program = match_round.program
    _require_admin(by, program)
    if match_round.status == Status.PUBLISHED:
        raise Conflict("This round is already published.", code="already_published")
    if match_round.status != Status.PROPOSED:
        raise Conflict(f"A {match_round.status} round has nothing to publish.", code="not_proposed")

    proposals = list(match_round.proposals.order_by("-score", "id"))
    mentor_ids = sorted({p.mentor_id for p in proposals})
    mentee_ids = sorted({p.mentee_id for p in proposals})
    # Same lock order as accepting a request (the mentors' memberships in the program, then the mentees'), so the
    # two never deadlock.
    members = Membership.objects.in_program(program).select_for_update()
    list(members.mentors().filter(user_id__in=mentor_ids).order_by("user_id").values("pk"))
    list(members.mentees().filter(user_id__in=mentee_ids).order_by("user_id").values("pk"))
    open_slots = selectors.mentor_open_slots(program, mentor_ids)
    # Only mentees still waiting in the program: not one who found their mentors meanwhile, asked someone, or left.
    busy = set(mentee_ids) - set(selectors.waiting_mentee_ids(program))
    now = timezone.now()
    expires = now + dt.timedelta(days=program.request_expiry_days)
    published: list[tuple[MatchProposal, MentorshipRequest]] = []
    for proposal in proposals:
        if proposal.mentee_id in busy or open_slots.get(proposal.mentor_id, 0) <= 0:
            continue
        open_slots[proposal.mentor_id] -= 1
        busy.add(proposal.mentee_id)
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
        program=program,
        target=f"match round {round_id}",
        details={"published": len(published), "skipped": len(proposals) - len(published)},
    )
    return match_round
