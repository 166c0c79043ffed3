"""The Celery app: `celery -A ottsite worker` starts a worker."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")

app = Celery("ottsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _recycle_database_connections(sender=None, **kwargs) -> None:
    """A task is a request: drop connections that are too old or broken, keep the rest.

    With CELERY_DB_REUSE_MAX set, Celery no longer closes the connection around every
    task; this keeps CONN_MAX_AGE and throws away a connection an outage broke, so
    the retry after a database blip reconnects. Eager tasks run inside the caller's
    transaction and are left alone.
    """
    request = getattr(sender, "request", None)
    if getattr(request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
