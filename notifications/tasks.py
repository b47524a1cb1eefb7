from smtplib import SMTPException

from celery import shared_task

# Each task imports its service in its body: the services send these tasks, so a module-level import would make
# a cycle.

EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_kwargs": {"max_retries": 5},
}


@shared_task(**EMAIL_RETRIES)
def send_notification_email(notification_id: int) -> bool:
    from notifications import services

    return services.notification_email_send(notification_id=notification_id)


@shared_task
def send_digests(delivery: str) -> int:
    """Run by celery beat: `daily` every day at 07:00 UTC, `weekly` on Mondays at 07:00 UTC."""
    from notifications import digests

    return digests.digests_send(delivery=delivery)


@shared_task(**EMAIL_RETRIES)
def send_digest(recipient_id: int, delivery: str) -> bool:
    from notifications import digests

    return digests.digest_send(recipient_id=recipient_id, delivery=delivery)
