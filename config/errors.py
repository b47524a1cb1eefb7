"""Domain errors that services raise and the API turns into status codes (see config.api.exception_handler).

Services also raise Django's ValidationError (400, with field messages), PermissionDenied (403) and
ObjectDoesNotExist / Http404 (404); these are the ones Django has no word for.
"""


class Conflict(Exception):
    """The request is valid but the state of things forbids it now (409): a request no longer pending, a
    mentor at capacity, a session already rated."""

    def __init__(self, message: str, *, code: str = "conflict", **details):
        """`code` is the stable word clients and tests rely on; `details` are further fields of the answer
        (e.g. `retry_after`), JSON-ready."""
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details


class ServiceUnavailable(Exception):
    """A service the platform needs (the task queue) cannot be reached now; the change itself is saved (503)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
