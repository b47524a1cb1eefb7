"""Requests made at the same instant, each in its own thread on its own database connection (PostgreSQL)."""

import threading
from collections.abc import Callable

from django.db import connection


def race(requests: list[Callable[[], object]]) -> list[int]:
    """Start every request at once (each a function that makes one and returns its response); their statuses,
    in the order they finished."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []

    def run(request: Callable[[], object]) -> None:
        try:
            barrier.wait()
            statuses.append(request().status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses
