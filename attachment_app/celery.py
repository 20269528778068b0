import gc
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attachment_app.settings.base")

app = Celery("attachment_app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def freeze_startup_heap() -> None:
    """Leave what a process holds once it has started (Django, modules, settings) out of
    every later garbage collection. A PDF render allocates enough to run the collector
    many times, and each full pass walked the whole startup heap: about a tenth of a long
    summary's render (issue 16). Frozen objects live as long as the process, as they
    would anyway; a prefork child inherits the parent's and freezes its own additions."""
    gc.collect()
    gc.freeze()


@worker_init.connect
@worker_process_init.connect
def _freeze_after_start(**_) -> None:
    freeze_startup_heap()
