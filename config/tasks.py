"""Sending tasks to the broker without letting an unreachable broker turn a saved change into a 500."""

import logging

from kombu.exceptions import OperationalError

from config.errors import ServiceUnavailable

log = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def task_send(task, *args, required: bool = True) -> None:
    """Send `task` with `args`. The caller's rows are already committed (this runs in on_commit), so nothing is
    lost either way when the broker is unreachable: a `required` task raises ServiceUnavailable (the API answers
    503 and a periodic sweep sends it again), and an optional one (an email) is run here instead, once: slower
    for this one answer, but a sign-up link or a notice is not lost. If it fails here too, it is logged."""
    try:
        task.delay(*args)
    except BROKER_ERRORS as error:
        if required:
            raise ServiceUnavailable(
                "The task queue cannot be reached right now. What you asked for is saved and will start as soon "
                "as the queue is back."
            ) from error
        log.warning("Could not queue %s (%s): running it here", task.name, error)  # args may hold a link token
        try:
            task(*args)  # a direct call: no retries, an error is raised here
        except Exception:  # an optional task never turns a saved change into an error page
            log.exception("%s failed here too; dropped", task.name)
