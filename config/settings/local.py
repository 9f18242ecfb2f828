"""Development and the demo (`./scripts/run`): DEBUG stays off unless DEBUG=1 is set."""

from .base import *  # noqa: F401,F403
from .base import STORAGES

# Static files come straight from the apps' static/ folders: no collectstatic needed.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
