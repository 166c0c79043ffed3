"""The Celery app: `celery -A ottsite worker` starts a worker."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")

app = Celery("ottsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
