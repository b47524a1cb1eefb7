"""Thin tasks: ids in, rows loaded, one service called. Each imports its service inside its body (services enqueue
these tasks, so a module-level import would make services and tasks import each other)."""

from smtplib import SMTPException

from celery import shared_task

from mentorship.models import MentorshipRequest

# Each task imports its service in its body: the services send these tasks, so a module-level import would make
# a cycle.


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError), retry_backoff=30, retry_kwargs={"max_retries": 5}
)
def send_request_notification(request_id: int, kind: str) -> None:
    from mentorship import services

    request = MentorshipRequest.objects.select_related("mentee", "mentor").filter(pk=request_id).first()
    if request is not None:
        services.request_notification_send(request=request, kind=kind)


@shared_task
def expire_requests() -> int:
    """Run by celery beat every 15 minutes."""
    from mentorship import services

    return services.requests_expire()


@shared_task
def send_meeting_reminders() -> int:
    """Run by celery beat every 5 minutes; sending each reminder once is the service's business (once_key)."""
    from mentorship import reminders

    return reminders.meeting_reminders_send()


@shared_task
def send_quiet_nudges() -> int:
    """Run by celery beat every hour: once per quiet spell, however often it runs."""
    from mentorship import nudges

    return nudges.quiet_nudges_send()


@shared_task
def send_request_reminders() -> int:
    """Run by celery beat every hour: once per request, however often it runs."""
    from mentorship import nudges

    return nudges.request_reminders_send()
