"""Thin tasks: each imports its service inside its body (services may enqueue tasks; no import cycle)."""

from celery import shared_task


@shared_task
def send_survey_invitations() -> int:
    """Run by celery beat every 15 minutes: invite whom each open survey's trigger names, each person once."""
    from evaluation import surveys

    return surveys.survey_invitations_send()
