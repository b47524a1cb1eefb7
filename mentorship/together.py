"""What the mentorship page shows of the relationship between meetings: the kick-off agreement, the action items
and the conversation (which the page marks read: the viewer has seen it)."""

from zoneinfo import ZoneInfo

from django.utils import timezone

from mentorship import action_items, agreements, messages
from mentorship.models import Agreement

MESSAGES_SHOWN = 50


def viewer_zone(viewer) -> ZoneInfo:
    """The zone of the viewer's profile (UTC when it has none that exists)."""
    try:
        return ZoneInfo(viewer.profile.timezone or "UTC")
    except (ValueError, KeyError, AttributeError):
        return ZoneInfo("UTC")


def page_context(mentorship, viewer) -> dict:
    people = mentorship.people()
    in_it = any(person.pk == viewer.pk for person in people)
    running = mentorship.is_active
    today = timezone.localdate()
    state = agreements.agreement_state(mentorship=mentorship)
    for people_named in (state.confirmed_by, state.waiting_for):  # "you" first: the viewer reads about themselves
        people_named.sort(key=lambda person: person.pk != viewer.pk)
    items = list(action_items.action_item_list(mentorship=mentorship))
    for item in items:
        item.overdue = action_items.is_overdue(item, today)
    context = {
        "agreement": state,
        "agreement_terms": state.terms,
        "agreement_channels": Agreement.Channel.choices,
        "agreement_outline": "\n".join(agreements.OUTLINE),
        "can_agree": in_it and running,
        "can_confirm": in_it and running and state.proposed and not state.confirmed(viewer),
        "latest_end": mentorship.program.ends_on,
        "action_items": items,
        "can_add_items": in_it and running,
        "item_owners": people,
        "in_conversation": in_it,
    }
    if in_it:
        zone = viewer_zone(viewer)
        shown = list(messages.message_list(mentorship=mentorship).reverse()[:MESSAGES_SHOWN])[::-1]
        for message in shown:
            message.html = messages.message_html(message.body)
            local = timezone.localtime(message.created_at, zone)
            message.local_time = f"{local:%-d %b %Y, %H:%M}"
        if shown:  # the viewer sees the conversation: it is read
            messages.messages_mark_read(mentorship=mentorship, user=viewer)
        context.update(
            conversation=shown,
            conversation_zone=str(zone),
            can_write=running,
        )
    return context
