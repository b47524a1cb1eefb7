from celery import shared_task

from matching import services


# Late acknowledgement (settings): a worker killed mid-round leaves the message to another worker, and the
# round's claim (queued or running → running) lets that worker start it afresh.
@shared_task
def run_match_round(round_id: int) -> str:
    return services.round_run(round_id=round_id).status
