from smtplib import SMTPException

from celery import shared_task


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError), retry_backoff=30, retry_kwargs={"max_retries": 5}
)
def send_notification_email(notification_id: int) -> bool:
    from notifications import services

    return services.notification_email_send(notification_id=notification_id)
