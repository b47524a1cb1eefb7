"""The mentor directory's answers, cached: browsing mentors is the busiest read of a program, and the same
few queries (first pages, a skill, an industry) come back all day. An answer is kept until something it shows
changes: the services that change a mentor's profile, their mentorships or the offers holding their slots call
`directory_changed()`, which moves the directory's version after their commit, so every kept answer is dropped
at once. DIRECTORY_CACHE_SECONDS bounds how long a write made outside the services (the Django admin) can stay
unseen.

The cache is an aid, never a dependency: with the cache server unreachable, answers are computed every time.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
T = TypeVar("T")
VERSION_KEY = "mentor-directory:version"
CACHE_ERRORS = (RedisError, OSError)


def directory_cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()`'s answer for `key` in the directory as it is now; computed at most once per version."""
    cache_key = f"mentor-directory:{hashlib.sha256(key.encode()).hexdigest()}"
    try:
        # One round trip: the answer is kept with the version it was computed in, and read beside the current one.
        found = cache.get_many([VERSION_KEY, cache_key])
        version = found.get(VERSION_KEY) or _new_version(only_if_absent=True)
    except CACHE_ERRORS as error:
        log.warning("Mentor directory served without its cache: %s", error)
        return compute()
    kept_version, kept = found.get(cache_key, (None, None))
    if kept_version == version:
        return kept
    answer = compute()  # read after the version: a write committed meanwhile moved it, so this is never kept stale
    try:
        cache.set(cache_key, (version, answer), settings.DIRECTORY_CACHE_SECONDS)
    except CACHE_ERRORS as error:
        log.warning("Mentor directory answer not cached: %s", error)
    return answer


def directory_changed() -> None:
    """What the directory shows has changed: drop every kept answer once the change is committed."""
    transaction.on_commit(_new_version_quietly)


def _new_version(*, only_if_absent: bool = False) -> str:
    version = uuid.uuid4().hex
    if only_if_absent:
        cache.add(VERSION_KEY, version, None)
        return cache.get(VERSION_KEY) or version
    cache.set(VERSION_KEY, version, None)
    return version


def _new_version_quietly() -> None:
    try:
        _new_version()
    except CACHE_ERRORS as error:  # kept answers then age out within DIRECTORY_CACHE_SECONDS
        log.warning("Mentor directory cache not cleared: %s", error)
