from smtplib import SMTPException

from celery import shared_task

# Each task imports its service in its body: the services send these tasks, so a module-level import would make
# a cycle.

# As the other emails: one that could not go out now is tried again later, its rows read again each time.
EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_kwargs": {"max_retries": 5},
}


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


@shared_task
def announce_published_round(round_id: int, site_url: str) -> int:
    """Sent once a round is published: sends each mentor's and each mentee's email task."""
    from matching.publishing import round_announce

    return round_announce(round_id=round_id, site_url=site_url)


@shared_task(**EMAIL_RETRIES)
def send_round_digest(round_id: int, mentor_id: int, site_url: str) -> None:
    from matching.publishing import round_digest_send

    round_digest_send(round_id=round_id, mentor_id=mentor_id, site_url=site_url)


@shared_task(**EMAIL_RETRIES)
def send_round_proposal(proposal_id: int, site_url: str) -> None:
    from matching.publishing import round_proposal_send

    round_proposal_send(proposal_id=proposal_id, site_url=site_url)
