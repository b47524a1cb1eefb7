from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from accounts.models import User


class ParticipantPasswordResetForm(PasswordResetForm):
    """Django's form skips accounts without a usable password; imported participants have none until they
    choose one through this very flow, so they are included."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


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
