"""Each planner test gets its own cache: Redis outlives the test database, whose
user and movie ids restart every session, so a plan cached by an earlier session
for "user 1" must never be served to this one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_cache(settings, request):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"planner-{request.node.nodeid}",
        }
    }
