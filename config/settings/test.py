from .base import *  # noqa: F401,F403
from .base import STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
AXES_FAILURE_LIMIT = 5
ALLOWED_HOSTS = ["*"]
GONGZHI_REPORT_THREADS = 1  # the records of a test are not committed: another connection would not see them
GONGZHI_JOBS = "inline"  # a job runs inside the request; tests of the other backends set it themselves
import tempfile as _tempfile
from pathlib import Path as _Path

GONGZHI_JOB_DIR = _Path(_tempfile.mkdtemp(prefix="gongzhi-test-jobs-"))
MEDIA_ROOT = _Path(_tempfile.mkdtemp(prefix="gongzhi-test-media-"))
