"""The record of what program admins did (AdminAction), shown to them in the Django admin."""

from accounts.models import User
from matching.models import AdminAction


def admin_action_record(*, actor: User | None, kind: str, target: str = "", details: dict | None = None) -> None:
    """Record an admin's act; call it inside the act's own transaction so that both happen or neither does."""
    AdminAction.objects.create(actor=actor, kind=kind, target=target, details=details or {})
