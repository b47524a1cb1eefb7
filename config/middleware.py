import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render

from config.handlers import is_api_request

log = logging.getLogger(__name__)


def _header(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy of settings.CONTENT_SECURITY_POLICY on every response: our pages load
    scripts, styles and images from our own origin only, and no inline script or style. A path listed in
    CONTENT_SECURITY_POLICY_RELAXED (a third-party page such as the API docs) gets its directives replaced."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = _header(settings.CONTENT_SECURITY_POLICY)
        self.relaxed = {
            prefix: _header({**settings.CONTENT_SECURITY_POLICY, **changes})
            for prefix, changes in settings.CONTENT_SECURITY_POLICY_RELAXED.items()
        }

    def __call__(self, request):
        response = self.get_response(request)
        header = next((h for prefix, h in self.relaxed.items() if request.path.startswith(prefix)), self.header)
        response.headers.setdefault("Content-Security-Policy", header)
        return response


DATABASE_DOWN = "The database is unavailable for a moment. Nothing was changed; please try again shortly."


class DatabaseUnavailableMiddleware:
    """A lost database connection (a restart, a failover) answers 503 in words instead of a 500 traceback. Django
    opens a fresh connection for the next request (CONN_HEALTH_CHECKS), so the app recovers by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("Database unavailable on %s: %s", request.path, exception)
        if is_api_request(request):
            return JsonResponse({"detail": DATABASE_DOWN}, status=503)
        return render(request, "503.html", {"message": DATABASE_DOWN}, status=503)
