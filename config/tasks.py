"""Sending tasks to the broker without letting a failed send turn a saved change into a 500."""

import logging

from kombu.exceptions import OperationalError

from config.errors import ServiceUnavailable

log = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def task_send(task, *args, required: bool = True) -> None:
    """Send `task` with `args`. The caller's rows are already committed (this runs in on_commit), so nothing is
    lost when the send fails: a `required` task raises ServiceUnavailable (the API answers 503 and a periodic sweep
    sends it again), and an optional one (an email) is run here instead, once: slower for this one answer, but a
    sign-up link or a notice is not lost. If it fails here too, it is logged.

    An unreachable broker is an outage to wait out (a warning). Any other failure to send (a transport that
    cannot even be imported, a serialisation error) is a fault of this deployment that no retry will mend: it is
    answered the same way, and logged as an error with its traceback, so that it is seen, not hidden in a 500.
    """
    if task.app.conf.task_always_eager:
        _run_here(task, args, required=required)
        return
    try:
        task.delay(*args)
    except Exception as error:
        if isinstance(error, BROKER_ERRORS):
            log.warning("Could not queue %s (%s)", task.name, error)  # never the args: they may hold a link token
        else:
            log.error("Could not send %s: this deployment cannot send tasks", task.name, exc_info=True)
        if required:
            raise ServiceUnavailable(
                "The task queue cannot be reached right now. What you asked for is saved and will start as soon "
                "as the queue is back."
            ) from error
        log.warning("Running %s here instead", task.name)
        try:
            task(*args)  # a direct call: no retries, an error is raised here
        except Exception:  # an optional task never turns a saved change into an error page
            log.exception("%s failed here too; dropped", task.name)


def _run_here(task, args: tuple, *, required: bool) -> None:
    """No queue (the embedded default, the tests): the task runs in this process as it is sent. What it raises is
    its own failure, not a failed send: a required task's propagates; an optional one's is logged."""
    try:
        task.delay(*args)
    except Exception:
        if required:
            raise
        log.exception("%s failed; dropped", task.name)
