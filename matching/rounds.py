"""The program admin's writes on match rounds: create (queued for the workers), run again, override a proposal,
cancel. The run itself is matching.runner's; publishing, matching.publishing's."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict
from matching import engine, review, selectors
from matching.models import MatchProposal, MatchRound
from matching.runner import engine_settings, round_enqueue
from programs.models import AdminAction, Membership, Program
from programs.selectors import is_program_admin
from programs.services import admin_action_record, program_require_open

Status = MatchRound.Status
OPTION_FIELDS = {"mode", "top_k", "min_score", "max_timezone_hours", "min_group_size"}
# What a round is asked to do, as round_create takes it: a round run again copies these.
SETTINGS = ("weights", "mode", "top_k", "min_score", "same_industry", "max_timezone_hours", "min_group_size")
RUN_AGAIN_SUFFIX = " (again)"


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
    min_group_size: int = 1,
    enqueue: bool = True,
) -> MatchRound:
    """Queue a round over `program`'s pool; the worker picks it up once this transaction commits (unless `enqueue`
    is off, for a caller that runs it itself). `created_by` is None for the command line. Weights not given are
    the program's defaults. A cohort past its end takes no new round (409 `program_ended`). `min_group_size`
    (above 1) is for group programs only: 400 naming it elsewhere."""
    if created_by is not None:
        _require_admin(created_by, program)
    program_require_open(program, action="match rounds")
    if min_group_size != 1 and program.format != Program.Format.GROUP:
        raise ValidationError({"min_group_size": ["Only a group program's circles have a minimum size."]})
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
        min_group_size=min_group_size,
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
def round_rerun(*, round_id: int, by: User) -> MatchRound:
    """A new round over the program's pool of today with the settings of round `round_id`: what an admin does with
    a round too old to publish, or one that failed. The old round stays as it was, for the record."""
    match_round = MatchRound.objects.select_related("program").get(pk=round_id)
    _require_admin(by, match_round.program)
    room = MatchRound._meta.get_field("name").max_length - len(RUN_AGAIN_SUFFIX)
    name = match_round.name.removesuffix(RUN_AGAIN_SUFFIX)[:room]
    return round_create(
        program=match_round.program,
        name=name + RUN_AGAIN_SUFFIX,
        created_by=by,
        **{setting: getattr(match_round, setting) for setting in SETTINGS},
    )


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
    review.require_overridable(match_round)
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
