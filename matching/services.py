"""Every write of match rounds: create, run (in a worker), override a proposal, publish, cancel.

A round runs outside any transaction until its very end: the proposals, the stats and the status `proposed` are
written in one transaction under a lock on the round, so a failed, retried or duplicated run leaves either
nothing or exactly one set of proposals.
"""

import csv
import datetime as dt
import io
import json
import logging
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile, User
from config.errors import Conflict
from config.tasks import task_send
from matching import engine, selectors, tasks
from matching.models import AdminAction, MatchProposal, MatchRound
from accounts.directory import directory_changed
from mentorship.models import Goal, Mentorship, MentorshipRequest
from mentorship.services import notify_request

log = logging.getLogger(__name__)

Status = MatchRound.Status
DEFAULT_WEIGHTS = {"skills": 1.0, "industry": 0.5, "goals": 1.0}
OPTION_FIELDS = {"mode", "top_k", "min_score", "max_timezone_hours"}
PROGRESS_EVERY_SECONDS = 0.5


def _engine_settings(match_round: MatchRound) -> tuple[engine.Weights, engine.Options]:
    return (
        engine.Weights(**match_round.weights),
        engine.Options(
            mode=match_round.mode,
            top_k=match_round.top_k,
            min_score=match_round.min_score,
            same_industry=match_round.same_industry,
            max_timezone_hours=match_round.max_timezone_hours,
        ),
    )


def admin_action_record(*, actor: User | None, kind: str, target: str = "", details: dict | None = None) -> None:
    """Record an admin's act; call it inside the act's own transaction so that both happen or neither does."""
    AdminAction.objects.create(actor=actor, kind=kind, target=target, details=details or {})


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
        _engine_settings(match_round)
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
        transaction.on_commit(lambda: task_send(tasks.run_match_round, round_id))
    return match_round


def round_run(*, round_id: int) -> MatchRound:
    """Run the matcher for a queued round and save its proposals, or record why it failed.

    A large pool (MATCH_SCALE_OUT_MENTEES or more waiting mentees) has its candidate search split into tasks over
    mentee slices, which any number of workers share; the last step saves the proposals as here. Safe to call
    twice: a round already proposed (or beyond) is left as it is.
    """
    claimed = MatchRound.objects.filter(pk=round_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.RUNNING, started_at=timezone.now(), progress=0.0, error="", updated_at=timezone.now()
    )
    if not claimed:
        return MatchRound.objects.get(pk=round_id)
    with _failing_round(round_id):
        prepared = _prepare(MatchRound.objects.get(pk=round_id))
        slices = _slices(len(prepared.mentees))
        if len(slices) > 1:
            # This run's own namespace: a duplicated or redelivered task scatters under another, never mixing
            # its slices with these.
            run = f"{round_id}:{uuid.uuid4().hex[:12]}"
            _stash_put(run, "prepared", prepared)
            _stash_put(run, "scattered_at", time.perf_counter())
            tasks.scatter_match_round(round_id, run, slices)
            return MatchRound.objects.get(pk=round_id)
        clock = time.perf_counter()
        report = _progress_writer(round_id)
        candidates = engine.search(prepared, progress=lambda f: report(0.1 + 0.75 * f))
        prepared.seconds["candidates"] = time.perf_counter() - clock
        _save_proposals(round_id, engine.finish(prepared, candidates))
    return MatchRound.objects.get(pk=round_id)


def round_search_slice(*, round_id: int, run: str, start: int, stop: int, slices: int) -> None:
    """One worker's share of a large round: the candidates of mentees start..stop."""
    with _failing_round(round_id, reraise=True):
        prepared = _stash_get(run, "prepared")
        _stash_put(run, f"slice-{start}", engine.search(prepared, range(start, stop)))
        done = cache.incr(_stash_key(run, "done"))
        _progress_writer(round_id)(0.1 + 0.75 * done / slices)


def round_finish(*, round_id: int, run: str, slices: list[tuple[int, int]]) -> MatchRound:
    """The last step of a split round: assign over every slice's candidates and save."""
    with _failing_round(round_id):
        prepared = _stash_get(run, "prepared")
        prepared.seconds["candidates"] = time.perf_counter() - _stash_get(run, "scattered_at")
        candidates = engine.merge([_stash_get(run, f"slice-{start}") for start, _ in slices])
        _save_proposals(round_id, engine.finish(prepared, candidates))
        names = ["prepared", "scattered_at", "done", *(f"slice-{start}" for start, _ in slices)]
        cache.delete_many([_stash_key(run, name) for name in names])
    return MatchRound.objects.get(pk=round_id)


def _slices(n_mentees: int) -> list[tuple[int, int]]:
    if n_mentees < settings.MATCH_SCALE_OUT_MENTEES:
        return [(0, n_mentees)]
    size = settings.MATCH_SLICE_MENTEES
    return [(start, min(start + size, n_mentees)) for start in range(0, n_mentees, size)]


STASH_SECONDS = 6 * 60 * 60


def _stash_key(run: str, name: str) -> str:
    return f"match-round:{run}:{name}"


def _stash_put(run: str, name: str, value) -> None:
    """Share a value with the other workers of a split round (through the cache: Redis in production)."""
    cache.set(_stash_key(run, name), value, timeout=STASH_SECONDS)
    if name == "prepared":
        cache.set(_stash_key(run, "done"), 0, timeout=STASH_SECONDS)


def _stash_get(run: str, name: str):
    value = cache.get(_stash_key(run, name))
    if value is None:
        raise RuntimeError(f"The shared state of this round ({name}) was lost; run the round again.")
    return value


@contextmanager
def _failing_round(round_id: int, *, reraise: bool = False):
    """Any failure is recorded on the round (which then holds no proposal) instead of escaping the worker."""
    try:
        yield
    except Exception as error:
        log.exception("Match round %s failed", round_id)
        MatchRound.objects.filter(pk=round_id, status=Status.RUNNING).update(
            status=Status.FAILED, error=f"{error.__class__.__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        if reraise:  # a failed slice also stops its siblings' callback
            raise


def _prepare(match_round: MatchRound) -> engine.Prepared:
    clock = time.perf_counter()
    waiting = selectors.waiting_mentee_ids()
    mentees = selectors.mentee_pool(waiting)
    mentors, capacities = selectors.mentor_pool()
    excluded = selectors.excluded_pairs(waiting)
    load_seconds = time.perf_counter() - clock
    if not len(mentees) or not len(mentors):
        raise RuntimeError("The pool is empty: no mentee is waiting or no mentor has an open slot.")
    weights, options = _engine_settings(match_round)
    prepared = engine.prepare(mentees, mentors, capacities, weights=weights, options=options, excluded=excluded)
    prepared.seconds = {"load": load_seconds, **prepared.seconds}
    _progress_writer(match_round.pk)(0.1)
    return prepared


def _progress_writer(round_id: int) -> Callable[[float], None]:
    """Record progress for the page's progress bar, at most twice a second (each write is a query)."""
    last = {"at": 0.0}

    def write(fraction: float) -> None:
        now = time.monotonic()
        if now - last["at"] >= PROGRESS_EVERY_SECONDS or fraction >= 1:
            last["at"] = now
            # Never shown as done before the proposals are saved.
            MatchRound.objects.filter(pk=round_id, status=Status.RUNNING).update(
                progress=min(fraction, 0.99),
                updated_at=timezone.now(),  # a sign of life, for rounds_requeue()
            )

    return write


@transaction.atomic
def _save_proposals(round_id: int, result: engine.MatchResult) -> None:
    clock = time.perf_counter()
    locked = MatchRound.objects.select_for_update().get(pk=round_id)
    if locked.status != Status.RUNNING:  # a twin run saved first, or the round was cancelled
        return
    _insert_proposals(locked.pk, result.proposals)
    seconds = {**result.seconds, "save": time.perf_counter() - clock}
    locked.stats = {**result.stats, "stage_seconds": {k: round(v, 3) for k, v in seconds.items()}}
    locked.stats["seconds"] = round(sum(seconds.values()), 3)
    locked.status = Status.PROPOSED
    locked.progress = 1.0
    locked.finished_at = timezone.now()
    locked.save(update_fields=["stats", "status", "progress", "finished_at", "updated_at"])


def _insert_proposals(round_id: int, proposals: list[engine.Proposal]) -> None:
    """Write a round's proposals. On PostgreSQL through COPY: at 60k proposals, 10x faster than INSERTs."""
    if connection.vendor != "postgresql":
        MatchProposal.objects.bulk_create(
            [
                MatchProposal(
                    round_id=round_id, mentee_id=p.mentee_id, mentor_id=p.mentor_id, score=p.score,
                    explanation=p.explanation,
                )
                for p in proposals
            ],
            batch_size=2000,
        )  # fmt: skip
        return
    now = timezone.now().isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # read by PostgreSQL, not a spreadsheet: written as is (not config.spreadsheets)
    for p in proposals:
        writer.writerow((round_id, p.mentee_id, p.mentor_id, repr(p.score), json.dumps(p.explanation), now, now))
    buffer.seek(0)
    table = connection.ops.quote_name(MatchProposal._meta.db_table)
    columns = "round_id, mentee_id, mentor_id, score, explanation, created_at, updated_at"
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)


STALE_QUEUED_SECONDS = 60
# A running round writes its progress at least every few seconds; this long without a sign of life, its worker
# is gone (killed, its machine lost) and the round is run again.
STALE_RUNNING_SECONDS = 10 * 60


def rounds_requeue(*, queued_seconds: int = STALE_QUEUED_SECONDS, running_seconds: int = STALE_RUNNING_SECONDS) -> int:
    """Send again the rounds whose task was lost: still queued a while after they were created (the broker was
    down), or running with no sign of life for long (the worker died). Running a round twice is harmless: the
    claim lets one run save its proposals, once (see round_run)."""
    now = timezone.now()
    lost = MatchRound.objects.filter(
        Q(status=Status.QUEUED, created_at__lt=now - dt.timedelta(seconds=queued_seconds))
        | Q(status=Status.RUNNING, updated_at__lt=now - dt.timedelta(seconds=running_seconds))
    )
    round_ids = list(lost.values_list("pk", flat=True))
    for round_id in round_ids:
        task_send(tasks.run_match_round, round_id)
    return len(round_ids)


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
    weights, _ = _engine_settings(match_round)
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
