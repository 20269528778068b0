"""Shared fixtures: the named people every access test is written about.

- ana: a therapist at Demo Clinic; her client is `client`.
- ben: Ana's colleague, a therapist at the same clinic.
- dee: the clinic admin of Demo Clinic (not a therapist).
- olivia: therapist and admin of Other Clinic.
- mara: clinic admin of Demo Clinic who is also a therapist (emergency access).
- robin: the companion account of Ana's client (a client, no staff role).
- sam: the companion account of another client of Ana's.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from hypothesis import settings as hypothesis_settings

from tests.factories import ClientFactory, ClinicFactory, UserFactory, companion_account_for

IN_CI = os.environ.get("CI", "").lower() == "true"

# Hypothesis: "ci" gives the same examples on every run (reproducible CI), "default"
# a fresh few each run, "explore" many more for a long local hunt. HYPOTHESIS_PROFILE
# picks one; CI=true picks "ci".
hypothesis_settings.register_profile("ci", max_examples=8, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("default", max_examples=8)
hypothesis_settings.register_profile("explore", max_examples=200)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "default")
)


def need(condition: bool, why: str) -> None:
    """Skip a test that needs a real service, except in CI, where it must run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {why}")
    pytest.skip(why)


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Demo Clinic")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Other Clinic")


@pytest.fixture
def ana(clinic):
    return UserFactory(email="ana@test.example", full_name="Ana Therapist", clinic=clinic)


@pytest.fixture
def ben(clinic):
    return UserFactory(email="ben@test.example", full_name="Ben Colleague", clinic=clinic)


@pytest.fixture
def dee(clinic):
    return UserFactory(
        email="dee@test.example",
        full_name="Dee Admin",
        clinic=clinic,
        is_therapist=False,
        is_clinic_admin=True,
    )


@pytest.fixture
def olivia(other_clinic):
    return UserFactory(
        email="olivia@test.example",
        full_name="Olivia Outsider",
        clinic=other_clinic,
        is_clinic_admin=True,
    )


@pytest.fixture
def mara(clinic):
    """Clinic admin of Demo Clinic who is also a therapist: may use emergency access."""
    return UserFactory(
        email="mara@test.example",
        full_name="Mara Admin-Therapist",
        clinic=clinic,
        is_therapist=True,
        is_clinic_admin=True,
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used TOTP codes live in the cache: no test sees another's
    (nor another's rendered fragments, in the per-process cache)."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["process"].clear()
    yield
    cache.clear()
    caches["process"].clear()


@pytest.fixture
def client_record(ana):
    """Ana's client."""
    return ClientFactory(primary_therapist=ana, legal_first_name="Robin", legal_last_name="Example")


@pytest.fixture
def robin(client_record):
    """The companion account of Ana's client: reaches only their own companion pages."""
    return companion_account_for(client_record, email="robin@test.example")


@pytest.fixture
def sam(ana):
    """The companion account of another client of Ana's (for id swaps between clients)."""
    other = ClientFactory(primary_therapist=ana, legal_first_name="Sam", legal_last_name="Other")
    return companion_account_for(other, email="sam@test.example")


@pytest.fixture
def as_ana(client, ana):
    client.force_login(ana)
    return client


@pytest.fixture
def private_media(settings, tmp_path):
    """Stored files (exports) go to a fresh private folder for the test and its worker."""
    from attachment_app.storage_settings import local_exports_storage

    root = tmp_path / "private_media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(root)}},
        "exports": local_exports_storage(str(root)),
    }
    return root


def database_url_for_test_db() -> str:
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """A real Celery worker process, started apart from the test, on the test database."""
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    need(bool(settings.CELERY_BROKER_URL), "set CELERY_BROKER_URL to a Redis database")
    worker = CeleryWorker(tmp_path)
    worker.start()
    yield worker
    worker.stop()


class CeleryWorker:
    """A worker process of its own session, so kill() can take it down with its children."""

    def __init__(
        self, tmp_path: Path, broker_url: str | None = None, extra_env: dict | None = None
    ) -> None:
        self.extra_env = extra_env or {}
        self.log_path = tmp_path / "worker.log"
        self.name = f"test-{uuid.uuid4().hex[:8]}"
        self.process: subprocess.Popen | None = None
        self.broker_url = broker_url or settings.CELERY_BROKER_URL

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "attachment_app.settings.test",
            "DATABASE_URL": database_url_for_test_db(),
            "CELERY_BROKER_URL": self.broker_url,
            "PRIVATE_MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
            **self.extra_env,
        }

    def child_pids(self) -> list[int]:
        """The pool's processes (prefork children) of the running worker."""
        if not self.process:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except FileNotFoundError:
            return []

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool), as a crash or OOM would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()

    def start(self, concurrency: int = 1, purge: bool = True) -> None:
        if purge:
            from attachment_app.celery import app

            with app.connection_for_write(self.broker_url) as connection:
                app.control.purge(connection=connection)
                # A worker killed in an earlier test leaves its message unacknowledged, and
                # Redis would hand it to this worker: start from an empty broker.
                client = connection.default_channel.client
                client.delete("unacked", "unacked_index", "unacked_mutex")
        celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                celery,
                "-A",
                "attachment_app",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(concurrency),
                "--pool",
                "prefork",
                "-n",
                f"{self.name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for("ready.", timeout=60)

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log_path.read_text(errors="replace"):
                return
            if self.process and self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"worker never said {text!r}:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def twice_at_once(task):
    """Run `task` in two threads released together; return both results."""
    start = threading.Barrier(2, timeout=10)
    results: list = [None, None]
    errors: list = []

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = task()
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A Redis server of the test's own, on a free port, that the test may stop and start.

    The machine's shared Redis (6379) is never touched.
    """

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.dir = tmp_path / "redis"
        self.dir.mkdir()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        need(server is not None, "redis-server is not installed")
        self.process = subprocess.Popen(
            [
                server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, timeout=10)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def throwaway_redis(tmp_path):
    redis = ThrowawayRedis(tmp_path)
    yield redis
    redis.stop()


class LocalS3:
    """An S3-compatible server in this test process (moto's server mode), on 127.0.0.1
    and a port the system chose: no network, no account. Workers and gunicorn processes
    started by a test reach it at `endpoint`, as a deployment reaches its bucket."""

    region = "us-east-1"
    access_key = "local-test-key"
    secret_key = "local-test-secret"  # noqa: S105 (moto accepts any)

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def new_bucket(self) -> str:
        name = f"exports-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def env(self, bucket: str) -> dict[str, str]:
        """What a deployment sets (README, "Configuration") to keep exports in the bucket."""
        return {
            "EXPORT_STORAGE": "s3",
            "EXPORT_S3_BUCKET": bucket,
            "EXPORT_S3_ENDPOINT_URL": self.endpoint,
            "EXPORT_S3_REGION": self.region,
            "EXPORT_S3_ACCESS_KEY_ID": self.access_key,
            "EXPORT_S3_SECRET_ACCESS_KEY": self.secret_key,
            # Never ask a cloud metadata service for anything.
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="session")
def local_s3():
    server = LocalS3()
    yield server
    server.stop()


@pytest.fixture
def s3_exports(local_s3, settings, monkeypatch):
    """Exports of this test (and of the processes it starts with `env`) in a fresh bucket.

    Returns (server, bucket, env): env is the environment a worker or gunicorn needs.
    """
    from attachment_app.storage_settings import exports_storage_from_env

    bucket = local_s3.new_bucket()
    env = local_s3.env(bucket)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # Built from the environment exactly as the settings module builds it.
    settings.STORAGES = {**settings.STORAGES, "exports": exports_storage_from_env("unused")}
    return local_s3, bucket, env
