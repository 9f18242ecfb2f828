# Celery is configured here so that @shared_task binds to the project app (used when REDIS_URL is set).
from .celery import app as celery_app

__all__ = ("celery_app",)
