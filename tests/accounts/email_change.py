"""Changing one's address as a person does it: the profile's PATCH, then the link of the email it sends."""

import re

from django.core import mail

EMAIL_CHANGE_LINK = re.compile(r"https?://[^/\s]+/account/email/confirm/([\w-]+)/")


def email_change_token(to: str) -> str:
    """The token of the newest change-of-address link emailed to `to` (from django.core.mail.outbox)."""
    for message in reversed(mail.outbox):
        if message.to == [to] and (found := EMAIL_CHANGE_LINK.search(message.body)):
            return found.group(1)
    raise AssertionError(f"no change-of-address link was emailed to {to}: {[m.subject for m in mail.outbox]}")
