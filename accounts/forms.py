import logging

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string

from accounts.models import User
from notifications.services import email_send

log = logging.getLogger(__name__)


class ParticipantPasswordResetForm(PasswordResetForm):
    """Django's form skips accounts without a usable password; imported participants have none until they
    choose one through this very flow, so they are included."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Through notifications, as every email: security mail, at once, with no inbox row (the link is a
        secret that no inbox keeps)."""
        subject = render_to_string(subject_template_name, context)
        try:
            email_send(to=to_email, subject=subject, template=email_template_name, context=context)
        except Exception:
            # As Django's own: the page answers the same whether or not the email could leave (or the address is
            # known); the failure is logged, not shown.
            log.exception("Failed to send password reset email to %s", context["user"].pk)


class SignInForm(AuthenticationForm):
    """Django's sign-in form. A locked-out account gets this very answer too (accounts/lockout.py), so it says that
    a lockout may be why the right password is refused, without saying whether one is."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct username and password. Note that both fields may be "
        "case-sensitive. After repeated failed attempts, signing in is paused for %(minutes)s minutes.",
    }

    def get_invalid_login_error(self):
        error = super().get_invalid_login_error()
        error.params = {**error.params, "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
        return error
