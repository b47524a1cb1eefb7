"""The one Celery app.

Configured from Django settings (`CELERY_*`). With no `REDIS_URL` the settings make tasks run in-process
(eager), so the embedded default needs no broker; with one, tasks go through Redis to the workers.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("mentorship_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
