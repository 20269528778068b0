"""More than one of each: several web and worker processes on one database, broker and
bucket; exactly one beat.

No container engine runs here, so `docker compose up --scale web=3 --scale worker=3` is
proved two ways: the compose file is read for what scaling needs, and the same thing is
done with processes: two gunicorn servers (own ports, own empty local folders) and two
Celery workers on the test database, the test broker and an S3 server on 127.0.0.1. An
export asked for on web A is rendered by whichever worker takes it and downloaded from
web B.
"""

import hashlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.urls import reverse

from clients.models import ExportJob
from tests.conftest import CeleryWorker, database_url_for_test_db, need, wait_until
from tests.pdfcheck import pdf_pages_text
from tests.test_deployment_proxy import CADDYFILE, COMPOSE, _interpolate


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(_interpolate(COMPOSE.read_text()))


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return command if isinstance(command, str) else " ".join(command)


# The compose file ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["web", "worker"])
def test_web_and_worker_can_be_scaled(compose, name):
    service = compose["services"][name]
    # A fixed container name or host port would stop a second replica from starting.
    assert "container_name" not in service
    assert not service.get("ports")
    assert "replicas" not in service.get("deploy", {})


def test_beat_is_one_service_of_its_own_and_no_worker_runs_it(compose):
    services = compose["services"]
    beats = [name for name, s in services.items() if re.search(r"\bbeat\b", command_of(s))]
    assert beats == ["beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "container_name" not in services["beat"]
    worker = command_of(services["worker"])
    assert "--beat" not in worker and not re.search(r"(^|\s)-B(\s|$)", worker)


def test_every_replica_keeps_exports_in_the_same_place(compose):
    settings_of = {
        name: {k: v for k, v in compose["services"][name]["environment"].items() if "EXPORT" in k}
        for name in ("web", "worker", "beat")
    }
    assert settings_of["web"] == settings_of["worker"] == settings_of["beat"]
    assert {"EXPORT_STORAGE", "EXPORT_S3_BUCKET", "EXPORT_S3_ENDPOINT_URL"} <= set(
        settings_of["web"]
    )


def test_the_worker_health_check_asks_its_own_node(compose):
    check = " ".join(compose["services"]["worker"]["healthcheck"]["test"])
    assert '--destination "celery@$HOSTNAME"' in check


def test_the_proxy_configuration_is_valid_for_caddy(tmp_path):
    caddy = shutil.which("caddy")
    need(caddy is not None, "Debian's caddy (apt-get install caddy) validates the Caddyfile")
    result = subprocess.run(
        [caddy, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
            "SITE_ADDRESS": "localhost",
            "CADDY_TLS": "internal",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]


# The same with processes -------------------------------------------------------------------


class Gunicorn:
    """One web container's gunicorn, on a port the system chooses, in its own session."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.log_path = folder / "gunicorn.log"
        self.env = env
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    def start(self) -> None:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                gunicorn,
                "attachment_app.wsgi",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "1",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.port is None:
                found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.text())
                self.port = int(found.group(1)) if found else None
            elif self.answers():
                return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn never became ready:\n{self.text()[-3000:]}")

    def answers(self) -> bool:
        try:
            status, _, _ = self.request("GET", "/healthz", {})
        except OSError:
            return False
        return status == 200

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(self, method: str, path: str, cookies: dict, data=None, headers=None):
        """One request; cookies the server sets are kept in `cookies`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            sent = {"Host": "127.0.0.1", **(headers or {})}
            if cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            body = None
            if data is not None:
                body = urlencode(data)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    cookies[name] = morsel.value
            return response.status, response.headers, content
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if hasattr(self, "log"):
            self.log.close()


@pytest.fixture
def fleet(transactional_db, s3_exports, tmp_path, request):
    """Two web servers and two workers, as `--scale web=2 --scale worker=2` would run."""
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    need(bool(settings.CELERY_BROKER_URL), "set CELERY_BROKER_URL to a Redis database")
    s3, bucket, s3_env = s3_exports
    base = {
        **os.environ,
        **s3_env,
        "DJANGO_SETTINGS_MODULE": "attachment_app.settings.test",
        "DATABASE_URL": database_url_for_test_db(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    # Each process has a local folder of its own, left empty: were a file written
    # there, no other process could serve it, as on separate hosts.
    locals_: list[Path] = []

    def own_folder(name: str) -> dict[str, str]:
        folder = tmp_path / name / "private_media"
        folder.mkdir(parents=True)
        locals_.append(folder)
        return {"PRIVATE_MEDIA_ROOT": str(folder)}

    webs = [Gunicorn(tmp_path / n, {**base, **own_folder(n)}) for n in ("web-a", "web-b")]
    for web in webs:
        request.addfinalizer(web.stop)
        web.start()
    workers = []
    for name in ("worker-a", "worker-b"):
        folder = own_folder(name)
        worker = CeleryWorker(tmp_path / name, extra_env={**s3_env, **folder})
        request.addfinalizer(worker.stop)
        # Both consume the one queue; the second start must not purge what the first took.
        worker.start(purge=not workers)
        workers.append(worker)
    for web in webs:
        web.wait_ready()
    return {"webs": webs, "workers": workers, "s3": s3, "bucket": bucket, "locals": locals_}


@pytest.mark.services
@pytest.mark.slow
def test_an_export_asked_for_on_one_web_server_downloads_from_another(
    fleet, client, ana, client_record
):
    web_a, web_b = fleet["webs"]
    client.force_login(ana)  # a session in the shared database, as a sign-in on web A
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}

    create = reverse("clients:export_create", args=[client_record.pk])
    status, _, form = web_a.request("GET", create, cookies)
    assert status == 200, form[:500]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1).decode()
    status, headers, _ = web_a.request(
        "POST", create, cookies, data={"csrfmiddlewaretoken": token, "kind": "treatment_plan"}
    )
    assert status == 302
    detail = headers["Location"]
    job = ExportJob.objects.get()
    assert detail == job.get_absolute_url()

    done = wait_until(
        lambda: ExportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(),
        timeout=120,
        interval=0.5,
    )
    assert done.status == ExportJob.Status.DONE, done.error
    # Whichever worker took it, exactly one of them rendered it.
    took = [
        worker
        for worker in fleet["workers"]
        if "clients.render_export[" in worker.log_path.read_text(errors="replace")
    ]
    assert len(took) == 1

    status, _, page = web_b.request("GET", detail, cookies, headers={"HX-Request": "true"})
    assert status == 200 and b"Download treatment plan" in page
    download = reverse("clients:export_download", args=[client_record.pk, job.pk])
    status, headers, pdf = web_b.request("GET", download, cookies)
    assert status == 200, pdf[:500]
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(pdf).hexdigest() == done.checksum
    pages = pdf_pages_text(pdf)
    assert "Robin Example" in pages[0] and "page 1 of" in pages[0]

    # The file is in the shared bucket and in no process's local folder.
    assert fleet["s3"].keys(fleet["bucket"]) == [done.file.name]
    assert not any(path.is_file() for folder in fleet["locals"] for path in folder.rglob("*"))
