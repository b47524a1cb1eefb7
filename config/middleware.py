from django.conf import settings


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
