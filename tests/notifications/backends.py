from smtplib import SMTPException

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every send fails as smtplib's would."""

    def send_messages(self, email_messages):
        raise SMTPException("the mail server is down")
