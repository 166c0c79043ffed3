"""WSGI entry point."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from ottsite.lib.chunked import chunked_bodies_read

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")
application = chunked_bodies_read(get_wsgi_application())
