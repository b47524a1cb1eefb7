"""Signing up as a person does it: the register call, then the link of the email it sends."""

import re

from django.core import mail

PASSWORD = "a-long-unusual-secret"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+/signup/confirm/([\w-]+)/")


def sign_up_body(**overrides) -> dict:
    """The body of a sign-up; an override of None leaves the field out."""
    body = {
        "username": "grace",
        "email": "grace@example.org",
        "password": PASSWORD,
        "role": "mentor",
        "full_name": "Grace Hopper",
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not None}


def confirmation_token(to: str) -> str:
    """The token of the newest sign-up link emailed to `to` (from django.core.mail.outbox)."""
    for message in reversed(mail.outbox):
        if message.to == [to] and (found := CONFIRM_LINK.search(message.body)):
            return found.group(1)
    raise AssertionError(f"no sign-up link was emailed to {to}: {[m.subject for m in mail.outbox]}")
