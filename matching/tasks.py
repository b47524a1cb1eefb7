from celery import shared_task

# Each task imports its service in its body: the services send these tasks, so a module-level import would make
# a cycle.


# Late acknowledgement (settings): a worker killed mid-round leaves the message to another worker, and the
# round's claim (queued or running → running) lets that worker start it afresh.
@shared_task
def run_match_round(round_id: int) -> str:
    from matching.runner import round_run

    return round_run(round_id=round_id).status


@shared_task
def requeue_waiting_rounds() -> int:
    """Run by celery beat every minute."""
    from matching.runner import rounds_requeue

    return rounds_requeue()


@shared_task
def search_match_round_slice(round_id: int, run: str, start: int, stop: int, slices: int) -> None:
    from matching.runner import round_search_slice

    round_search_slice(round_id=round_id, run=run, start=start, stop=stop, slices=slices)


@shared_task
def finish_match_round(_results, round_id: int, run: str, slices: list) -> str:
    from matching.runner import round_finish

    return round_finish(round_id=round_id, run=run, slices=[tuple(s) for s in slices]).status
