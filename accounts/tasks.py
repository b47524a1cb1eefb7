from smtplib import SMTPException

from celery import shared_task

from accounts.models import EmailChange, EmailRevert, SignUp, User

# Each task imports its service in its body: the services send these tasks, so a module-level import would make
# a cycle.

# An email that could not go out now is tried again later; the row it is about is read again each time.
EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_kwargs": {"max_retries": 5},
}


@shared_task(**EMAIL_RETRIES)
def send_welcome_email(user_id: int) -> None:
    from accounts import services

    user = User.objects.filter(pk=user_id).first()
    if user is None:  # the account was deleted before the email went out: nothing to welcome
        return
    services.user_send_welcome_email(user=user)


@shared_task(**EMAIL_RETRIES)
def send_signup_confirmation_email(signup_id: int, token: str, site_url: str) -> None:
    from accounts import services

    # The token is not stored (only its digest is), so it travels with the task; the link is built here.
    signup = SignUp.objects.filter(pk=signup_id).first()
    if signup is None:  # confirmed through another link of the same address, or purged: the link would not work
        return
    services.signup_send_confirmation_email(signup=signup, token=token, site_url=site_url)


@shared_task(**EMAIL_RETRIES)
def send_signup_existing_account_email(user_id: int, site_url: str) -> None:
    from accounts import services

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    services.signup_send_existing_account_email(user=user, site_url=site_url)


@shared_task(**EMAIL_RETRIES)
def send_email_change_notice(change_id: int, site_url: str) -> None:
    from accounts import services

    change = EmailChange.objects.select_related("user").filter(pk=change_id).first()
    if change is None:  # replaced by a newer request (which sends its own), confirmed, or purged
        return
    services.email_change_send_notice(change=change, site_url=site_url)


@shared_task(**EMAIL_RETRIES)
def send_email_change_link(change_id: int, token: str, site_url: str) -> None:
    from accounts import services

    # As for sign-ups, the token travels with the task: only its digest is stored.
    change = EmailChange.objects.filter(pk=change_id).first()
    if change is None:
        return
    services.email_change_send_link(change=change, token=token, site_url=site_url)


@shared_task(**EMAIL_RETRIES)
def send_email_revert_link(revert_id: int, token: str, site_url: str) -> None:
    from accounts import services

    # As for sign-ups, the token travels with the task: only its digest is stored.
    revert = EmailRevert.objects.select_related("user").filter(pk=revert_id).first()
    if revert is None:  # the change was already undone (with another link), or the link expired
        return
    services.email_change_send_revert_link(revert=revert, token=token, site_url=site_url)


@shared_task
def purge_expired_signups() -> int:
    """Run by celery beat every hour: expired sign-ups, changes of address and ways back from them. Returns how
    many were deleted."""
    from accounts import services

    return (
        services.signups_purge_expired()
        + services.email_changes_purge_expired()
        + services.email_reverts_purge_expired()
    )


@shared_task
def purge_expired_api_tokens() -> int:
    """Run by celery beat every hour: API tokens past their expiry. Returns how many were deleted."""
    from accounts import services

    return services.api_tokens_purge_expired()


@shared_task
def purge_expired_sessions() -> None:
    """Run by celery beat every hour: sessions past their expiry."""
    from accounts import services

    services.sessions_purge_expired()
