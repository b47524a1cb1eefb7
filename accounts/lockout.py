"""Sign-in lockout, by django-axes: failed sign-ins (the sign-in page, the Django admin's, `auth/token/`) and
password-reset requests share one counter per username and one per client address, kept in the cache (Redis in
production).

Axes counts a failure when `django.contrib.auth.authenticate(request, …)` fails (its `user_login_failed` signal)
and clears both counters of a successful sign-in (`user_logged_in`). While either counter is at the limit,
LockoutBackend (first in AUTHENTICATION_BACKENDS) stops `authenticate` before any password is checked: it returns
None as for a wrong password, and every caller answers exactly as it does for one. The settings are the AXES_*
ones in config/settings/base.py.
"""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_credentials
from axes.models import AccessBase
from django.contrib.auth.hashers import make_password

USERNAME_AND_ADDRESS = ["username", "ip_address"]
ADDRESS = ["ip_address"]


class LockoutBackend(AxesStandaloneBackend):
    """Axes' backend, whose refusal takes as long as checking a password: a locked account is not told apart from
    a wrong password by the time of the answer either (Django hashes for an unknown username for the same reason)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            make_password(password)
            raise


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list[str]:
    """AXES_LOCKOUT_PARAMETERS: a failure counts toward its username and toward its address. A password-reset
    request names no username and counts toward its address alone: axes would otherwise count every such request
    under one shared "no username", and a few of them would lock everybody's resets."""
    if isinstance(request_or_attempt, AccessBase):  # axes' reset commands describe what to clear this way
        username = request_or_attempt.username
    else:
        username = get_client_username(request_or_attempt, credentials)
    return USERNAME_AND_ADDRESS if username else ADDRESS


def password_reset_allowed(request) -> bool:
    """Count a password-reset request toward its client address. False, and not counted, while the address is
    locked out: the page then answers as always and sends nothing."""
    credentials = get_credentials()  # no username
    if not AxesProxyHandler.is_allowed(request, credentials):
        return False
    AxesProxyHandler.user_login_failed(sender=password_reset_allowed, credentials=credentials, request=request)
    return True


def username_unlock(*, username: str) -> None:
    """Forget the failed sign-ins of `username` (its address's are left alone)."""
    AxesProxyHandler.reset_attempts(username=username)
