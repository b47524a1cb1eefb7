"""The inbox and the delivery settings pages. They read through selectors; their buttons call the API."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from notifications import selectors
from notifications.models import Delivery

NOTICES_PER_PAGE = 20


def _zone_of(user) -> ZoneInfo:
    """The viewer's time zone (their profile's), in which the page shows times."""
    profile = getattr(user, "profile", None)
    try:
        return ZoneInfo(getattr(profile, "timezone", "") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@login_required
@ensure_csrf_cookie
def notification_list(request):
    notices = selectors.notification_list(recipient_id=request.user.pk)
    page = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    # The unread count (for "Mark all read") is the navigation's: notifications.context_processors.inbox.
    return render(request, "notifications/notification_list.html", {"page": page, "zone": _zone_of(request.user)})


@login_required
@ensure_csrf_cookie
def notification_settings(request):
    return render(
        request,
        "notifications/notification_settings.html",
        {"settings": selectors.notification_settings_of(user_id=request.user.pk), "deliveries": Delivery.choices},
    )
