"""A mentorship's conversation: plain-text messages among everyone in it now (every member of a circle), how far
each person has read, and the email notice to the others — at most one per conversation per 15 minutes, so that a
lively exchange does not flood anyone's inbox."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from mentorship import naming
from mentorship.models import ConversationRead, Mentorship, Message
from mentorship.participants import mentorship_ids_participating, require_running
from notifications.services import notify

NOTICE_WINDOW_SECONDS = 15 * 60
EXCERPT_CHARS = 500
# Only the web's own schemes become links; anything else (javascript:, data:, mailto:) stays text.
_WEB_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def message_list(*, mentorship: Mentorship) -> QuerySet[Message]:
    """Oldest first: the newest is last, where a conversation ends."""
    return Message.objects.filter(mentorship=mentorship).select_related("author").order_by("id")


def _unread(user: User) -> QuerySet[Message]:
    marker = ConversationRead.objects.filter(mentorship=OuterRef("mentorship_id"), user=user).values("last_read_id")
    return (
        Message.objects.filter(mentorship_id__in=mentorship_ids_participating(user))
        .exclude(author=user)
        .filter(id__gt=Coalesce(Subquery(marker[:1]), Value(0), output_field=BigIntegerField()))
    )


def unread_counts(*, user: User) -> dict[int, int]:
    """{mentorship id: messages `user` has not read} over the mentorships they are in now; one query."""
    rows = _unread(user).values("mentorship_id").annotate(count=Count("id")).order_by()
    return {row["mentorship_id"]: row["count"] for row in rows}


@transaction.atomic
def message_send(*, mentorship: Mentorship, author: User, body: str) -> Message:
    """The caller has found `mentorship` among those `author` is in (anyone else gets a 404)."""
    require_running(mentorship)
    if not body.strip():
        raise ValidationError({"body": ["Write something to send."]})
    message = Message(mentorship=mentorship, author=author, body=body)
    message.full_clean()
    message.save()
    _advance(mentorship, author, message.pk)  # one's own message is read
    _tell_the_others(mentorship, message)
    return message


@transaction.atomic
def messages_mark_read(*, mentorship: Mentorship, user: User) -> int:
    """Everything in the conversation up to now is read by `user`; answers the last message id read."""
    last = Message.objects.filter(mentorship=mentorship).order_by("-id").values_list("id", flat=True).first() or 0
    _advance(mentorship, user, last)
    return last


def _advance(mentorship: Mentorship, user: User, last_id: int) -> None:
    now = timezone.now()
    marker, created = ConversationRead.objects.get_or_create(
        mentorship=mentorship, user=user, defaults={"last_read_id": last_id, "read_at": now}
    )
    if not created:  # never backwards: a slow request that read less must not undo a later one
        behind = ConversationRead.objects.filter(pk=marker.pk, last_read_id__lt=last_id)
        behind.update(last_read_id=last_id, read_at=now)


def _tell_the_others(mentorship: Mentorship, message: Message) -> None:
    window = int(message.created_at.timestamp() // NOTICE_WINDOW_SECONDS)
    read_past = set(
        ConversationRead.objects.filter(mentorship=mentorship, last_read_id__gte=message.pk).values_list(
            "user_id", flat=True
        )
    )
    author = message.author
    excerpt = message.body if len(message.body) <= EXCERPT_CHARS else message.body[:EXCERPT_CHARS] + "…"
    for person in mentorship.people():
        if person.pk == author.pk or person.pk in read_past:
            continue
        notify(
            recipient_id=person.pk,
            kind="message",
            subject=f"New message from {author.get_short_name()}",
            template="emails/message_received.txt",
            context={
                "recipient": person,
                "author": author,
                "title": naming.mentorship_title(mentorship, person),
                "excerpt": excerpt,
            },
            link=reverse("mentorship-page", args=[mentorship.pk]) + "#messages-heading",
            once_key=f"messages-{mentorship.pk}-{window}",
        )


def message_html(body: str) -> SafeString:
    """The message as the page shows it: escaped, its line breaks kept, and its http(s) addresses made links
    (nothing else is: a `javascript:` text stays text)."""
    parts, start = [], 0
    for match in _WEB_LINK.finditer(body):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(escape(body[start : match.start()]))
        parts.append(format_html('<a href="{0}" rel="nofollow noopener noreferrer">{0}</a>', url))
        start = end
    parts.append(escape(body[start:]))
    html = "".join(str(part) for part in parts)
    return mark_safe(html.replace("\r\n", "\n").replace("\n", "<br>\n"))  # every piece is escaped above
