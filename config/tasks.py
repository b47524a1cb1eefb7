"""Sending tasks to the broker without letting an unreachable broker turn a saved change into a 500."""

import logging

from kombu.exceptions import OperationalError

from config.errors import ServiceUnavailable

log = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def task_send(task, *args, required: bool = True) -> None:
    """Send `task` with `args`. The caller's rows are already committed (this runs in on_commit), so nothing is
    lost either way: when the broker is unreachable, a `required` task raises ServiceUnavailable (the API answers
    503 and a periodic sweep sends it again), and an optional one (an email) is logged and dropped."""
    try:
        task.delay(*args)
    except BROKER_ERRORS as error:
        if required:
            raise ServiceUnavailable(
                "The task queue cannot be reached right now. What you asked for is saved and will start as soon "
                "as the queue is back."
            ) from error
        log.warning("Could not queue %s%s: %s", task.name, args, error)
