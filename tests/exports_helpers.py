"""Helpers for the export tests."""

from contextlib import contextmanager


def files_of(root, job) -> list:
    """Every file kept for the job under the private media root."""
    return sorted(p for p in root.rglob("*") if p.is_file() and str(job.pk) in p.name)


@contextmanager
def broker_at(url: str):
    """Point this process's Celery producer at another broker for a while."""
    from attachment_app.celery import app

    # conf.broker_url prefers the CELERY_BROKER_URL environment variable; the
    # write URL (what enqueueing uses) does not.
    old = app.conf.broker_write_url

    def reset():
        from kombu import pools

        pools.reset()  # kombu keeps connection and producer pools per broker
        app._pool = None
        app.amqp._producer_pool = None

    # On the embedded default (no broker configured) tasks run in-process: publish for real.
    eager = app.conf.task_always_eager
    reset()
    app.conf.broker_write_url = url
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        reset()
        app.conf.broker_write_url = old
        app.conf.task_always_eager = eager


def downloaded(response) -> bytes:
    """The bytes of a download (streamed by the app from the storage)."""
    assert response.streaming, "downloads are streamed"
    return b"".join(response.streaming_content)
