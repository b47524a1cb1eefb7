"""Running match rounds, in the workers: claim a queued round, search its candidates (split over workers for a
large pool), assign, and save the proposals; send again the rounds whose task was lost.

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

from celery import chord
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from config.tasks import task_send
from matching import engine, selectors, tasks
from matching.models import MatchProposal, MatchRound, UnmatchedMentee
from programs.models import Program

log = logging.getLogger(__name__)

Status = MatchRound.Status
PROGRESS_EVERY_SECONDS = 0.5


def engine_settings(match_round: MatchRound) -> tuple[engine.Weights, engine.Options]:
    return (
        engine.Weights(**match_round.weights),
        engine.Options(
            mode=match_round.mode,
            top_k=match_round.top_k,
            min_score=match_round.min_score,
            same_industry=match_round.same_industry,
            max_timezone_hours=match_round.max_timezone_hours,
            min_group_size=match_round.min_group_size,
        ),
    )


def round_enqueue(*, round_id: int) -> None:
    """Send a queued round to the workers (raises ServiceUnavailable when the broker cannot be reached)."""
    task_send(tasks.run_match_round, round_id)


def round_run(*, round_id: int) -> MatchRound:
    """Run the matcher for a queued round over its program's pool and save its proposals, or record why it failed.

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
        match_round = MatchRound.objects.select_related("program").get(pk=round_id)
        if match_round.program.format == Program.Format.PEER:
            _save_proposals(round_id, _pair_peers(match_round))
            return MatchRound.objects.get(pk=round_id)
        prepared = _prepare(match_round)
        slices = _slices(len(prepared.mentees))
        if len(slices) > 1:
            # This run's own namespace: a duplicated or redelivered task scatters under another, never mixing
            # its slices with these.
            run = f"{round_id}:{uuid.uuid4().hex[:12]}"
            _stash_put(run, "prepared", prepared)
            _stash_put(run, "scattered_at", time.perf_counter())
            _scatter(round_id, run, slices)
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


def _scatter(round_id: int, run: str, slices: list[tuple[int, int]]) -> None:
    """One task per mentee slice, on any worker; when all are done, one task assigns and saves."""
    header = [tasks.search_match_round_slice.s(round_id, run, start, stop, len(slices)) for start, stop in slices]
    chord(header)(tasks.finish_match_round.s(round_id, run, [list(s) for s in slices]))


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
    program = match_round.program
    waiting = selectors.waiting_mentee_ids(program)
    mentees = selectors.mentee_pool(program, waiting)
    mentors, capacities = selectors.mentor_pool(program)
    excluded = selectors.excluded_pairs(program, waiting)
    circle_sizes = None
    if program.format == Program.Format.GROUP:  # mentors lead circles: the room left in each is their capacity
        members = selectors.circle_sizes(program, mentors.ids)
        circle_sizes = [members.get(mentor_id, 0) for mentor_id in mentors.ids]
    load_seconds = time.perf_counter() - clock
    if not len(mentees) or not len(mentors):
        raise RuntimeError("The pool is empty: no mentee is waiting or no mentor has an open slot.")
    weights, options = engine_settings(match_round)
    prepared = engine.prepare(
        mentees, mentors, capacities, weights=weights, options=options, excluded=excluded, circle_sizes=circle_sizes
    )
    prepared.seconds = {"load": load_seconds, **prepared.seconds}
    _progress_writer(match_round.pk)(0.1)
    return prepared


def _pair_peers(match_round: MatchRound) -> engine.MatchResult:
    """A peer program's round: its waiting peers paired in a general graph (one process: the exact pairing needs
    the whole graph at once; bench/peer_round.py measures it)."""
    clock = time.perf_counter()
    program = match_round.program
    waiting = selectors.waiting_peer_ids(program)
    peers = selectors.peer_pool(program, waiting)
    excluded = selectors.excluded_peer_pairs(program, waiting)
    load_seconds = time.perf_counter() - clock
    if len(peers) < 2:
        raise RuntimeError("The pool is empty: fewer than two peers are waiting for a partner.")
    weights, options = engine_settings(match_round)
    report = _progress_writer(match_round.pk)
    result = engine.match_peers(peers, weights=weights, options=options, excluded=excluded, progress=report)
    result.seconds = {"load": load_seconds, **result.seconds}
    return result


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
    _insert_unmatched(locked.pk, result.unmatched)
    seconds = {**result.seconds, "save": time.perf_counter() - clock}
    locked.stats = {**result.stats, "stage_seconds": {k: round(v, 3) for k, v in seconds.items()}}
    locked.stats["seconds"] = round(sum(seconds.values()), 3)
    locked.status = Status.PROPOSED
    locked.progress = 1.0
    locked.finished_at = timezone.now()
    locked.save(update_fields=["stats", "status", "progress", "finished_at", "updated_at"])


def _insert_proposals(round_id: int, proposals: list[engine.Proposal]) -> None:
    _insert_rows(
        MatchProposal,
        ["round_id", "mentee_id", "mentor_id", "score", "explanation", "skip_reason"],
        [(round_id, p.mentee_id, p.mentor_id, p.score, p.explanation, "") for p in proposals],
    )


def _insert_unmatched(round_id: int, unmatched: list[engine.Unmatched]) -> None:
    _insert_rows(
        UnmatchedMentee,
        ["round_id", "mentee_id", "reason", "details"],
        [(round_id, u.mentee_id, u.reason, u.details) for u in unmatched],
    )


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Write a round's rows (dicts go in as JSON). On PostgreSQL through COPY: at 60k proposals, 10x faster than
    INSERTs. An empty field of a CSV is NULL to COPY unless told otherwise: a blank text column is ''."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000)
        return
    now = timezone.now().isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # read by PostgreSQL, not a spreadsheet: written as is (not config.spreadsheets)
    for row in rows:
        values = [json.dumps(v) if isinstance(v, dict) else repr(v) if isinstance(v, float) else v for v in row]
        writer.writerow((*values, now, now))
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join([*columns, "created_at", "updated_at"])
    texts = [name for name in columns if model._meta.get_field(name).get_internal_type() in ("CharField", "TextField")]
    not_null = f", FORCE_NOT_NULL ({', '.join(texts)})" if texts else ""
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv{not_null})", buffer)


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
        round_enqueue(round_id=round_id)
    return len(round_ids)
