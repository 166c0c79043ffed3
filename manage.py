#!/usr/bin/env python
"""Django's command-line utility."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")
    if sys.argv[1:2] == ["services"] and sys.argv[2:3] in (["status"], ["stop"]):
        # Loading the settings would start the embedded servers these report on
        # or stop.
        from ottsite.lib import embedded

        embedded.autostart_disable()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
