from .base import *  # noqa: F401,F403
from .base import STORAGES, env_flag

DEBUG = env_flag("DEBUG", True)
# In development whitenoise serves from the app folders; no collectstatic needed.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
