"""The `gongzhi` console command: Django's management commands under the project's name.

`gongzhi demo --scale small`, `gongzhi migrate`, `gongzhi runserver` ... are all
`manage.py` commands; this only picks the settings module when none is set.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongzhi", *sys.argv[1:]])
