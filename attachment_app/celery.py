import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attachment_app.settings.base")

app = Celery("attachment_app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
