"""Attempts per client address for the sign-in and password-reset pages, counted in the cache (Redis in
production), with the same rate as the API's sign-in throttle."""

from django.conf import settings
from django.core.cache import cache

SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(scope: str) -> tuple[int, int]:
    """DRF's notation, "10/minute": how many attempts in how many seconds."""
    count, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")
    return int(count), SECONDS[period[0]]


def client_address(request) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES", 0)
    if forwarded and proxies:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def attempt_allowed(request, scope: str) -> bool:
    """Count one attempt; False once the address made more than the rate allows in the window."""
    allowed, window = _rate(scope)
    key = f"page-throttle:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        attempts = 1
    return attempts <= allowed
