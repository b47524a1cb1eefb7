from smtplib import SMTPException

from celery import shared_task

from programs.models import Invitation, Membership

# As accounts' emails: one that could not go out now is tried again later, the row read again each time.
EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_kwargs": {"max_retries": 5},
}


@shared_task(**EMAIL_RETRIES)
def send_invitation_email(invitation_id: int, token: str, site_url: str) -> None:
    # Only the token's digest is stored, so the token travels with the task; the link is built here.
    from programs import services

    invitation = Invitation.objects.select_related("membership__user", "membership__program").filter(pk=invitation_id)
    invitation = invitation.first()
    if invitation is None:  # accepted, resent (a newer link replaced it) or the member removed: this link is dead
        return
    services.invitation_send_email(invitation=invitation, token=token, site_url=site_url)


@shared_task(**EMAIL_RETRIES)
def send_member_added_email(membership_id: int, site_url: str) -> None:
    from programs import services

    membership = Membership.objects.select_related("user", "program").filter(pk=membership_id).first()
    if membership is None:
        return
    services.member_added_send_email(membership=membership, site_url=site_url)
