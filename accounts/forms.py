from django.contrib.auth.forms import PasswordResetForm

from accounts.models import User


class ParticipantPasswordResetForm(PasswordResetForm):
    """Django's form skips accounts without a usable password; imported participants have none until they
    choose one through this very flow, so they are included."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)
