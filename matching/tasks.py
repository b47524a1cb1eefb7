from celery import chord, shared_task

from matching import services


# Late acknowledgement (settings): a worker killed mid-round leaves the message to another worker, and the
# round's claim (queued or running → running) lets that worker start it afresh.
@shared_task
def run_match_round(round_id: int) -> str:
    return services.round_run(round_id=round_id).status


@shared_task
def requeue_waiting_rounds() -> int:
    """Run by celery beat every minute."""
    return services.rounds_requeue()


@shared_task
def search_match_round_slice(round_id: int, run: str, start: int, stop: int, slices: int) -> None:
    services.round_search_slice(round_id=round_id, run=run, start=start, stop=stop, slices=slices)


@shared_task
def finish_match_round(_results, round_id: int, run: str, slices: list) -> str:
    return services.round_finish(round_id=round_id, run=run, slices=[tuple(s) for s in slices]).status


def scatter_match_round(round_id: int, run: str, slices: list[tuple[int, int]]) -> None:
    """One task per mentee slice, on any worker; when all are done, one task assigns and saves."""
    header = [search_match_round_slice.s(round_id, run, start, stop, len(slices)) for start, stop in slices]
    chord(header)(finish_match_round.s(round_id, run, [list(s) for s in slices]))
