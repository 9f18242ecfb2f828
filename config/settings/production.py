from .base import *  # noqa: F401,F403
from .base import env_flag

DEBUG = False
SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
LANGUAGE_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
