"""What the navigation of every page shows of the inbox (templates/base.html): how many notices are unread."""

from notifications import selectors


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": selectors.unread_count(recipient_id=user.pk)}
