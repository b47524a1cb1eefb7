"""The skills part's beat task, apart from evaluation/tasks.py (the surveys' own). Celery autodiscovers only
`tasks.py`: this module is named in CELERY_IMPORTS (config/settings/base.py), beside its beat schedule entry, so a
worker registers it however the app is started."""

from celery import shared_task


@shared_task
def skill_rating_prompts_send() -> int:
    """Run by celery beat every hour; each prompt is sent once (the service's once_key)."""
    from evaluation import skill_prompts

    return skill_prompts.skill_rating_prompts_send()
