from smtplib import SMTPException

from celery import shared_task

from accounts import services
from accounts.models import User


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def send_welcome_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:  # the account was deleted before the email went out: nothing to welcome
        return
    services.user_send_welcome_email(user=user)
