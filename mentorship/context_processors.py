"""What every page's navigation shows of a person's conversations: how many messages wait unread (the badge on
"Mentorships"). Counted only when a page shows the badge, once, in one query."""

from functools import cache

from mentorship.messages import unread_counts


def unread_messages(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def total() -> int:  # the template calls it where it needs the number: the first call counts
        return sum(unread_counts(user=user).values())

    return {"unread_messages": total}
