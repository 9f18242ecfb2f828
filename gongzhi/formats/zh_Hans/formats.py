"""Chinese date formats as Chinese offices write them: 7月1日, not Django's 07月1日."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F401,F403

MONTH_DAY_FORMAT = "n月j日"
