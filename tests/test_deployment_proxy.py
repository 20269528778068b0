"""The compose deployment: only the proxy is reachable, and only it chooses the client address.

The compose file cannot be run here (no container engine), so its promises are read
from the file itself, and the app is run with the settings it gives the web service.
"""

import ipaddress
import re
import shutil
import subprocess

import pytest
import yaml
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from attachment_app.clientip import client_address
from attachment_app.models import AuditEvent
from tests.factories import TEST_PASSWORD
from tests.test_settings import ROOT

COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "attachment_app" / "deploy" / "Caddyfile"
FORGED = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"]


def _interpolate(text: str) -> str:
    """Compose's ${NAME:-default} and ${NAME:?message} with nothing set: the defaults."""
    text = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", text)
    text = re.sub(r"\$\{[A-Z_]+:\?[^}]*\}", "set-in-production", text)
    return text.replace("$$", "$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(_interpolate(COMPOSE.read_text()))


def deployed_settings(compose: dict) -> dict:
    environment = compose["services"]["web"]["environment"]
    return {
        "PROXY_COUNT": int(environment["PROXY_COUNT"]),
        "TRUSTED_PROXIES": [e.strip() for e in environment["TRUSTED_PROXIES"].split(",")],
    }


def test_only_the_proxy_publishes_a_port(compose):
    publishing = sorted(name for name, svc in compose["services"].items() if svc.get("ports"))
    assert publishing == ["proxy"]
    assert compose["services"]["proxy"]["image"].startswith("caddy:")
    assert not compose["services"]["web"].get("ports")


def test_gunicorn_believes_forwarded_headers_from_the_proxy_address_alone(compose):
    web = compose["services"]["web"]
    proxy_address = compose["services"]["proxy"]["networks"]["default"]["ipv4_address"]
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(proxy_address) in ipaddress.ip_network(subnet)
    assert deployed_settings(compose) == {"PROXY_COUNT": 1, "TRUSTED_PROXIES": [proxy_address]}
    # One shell line: an option on a line of its own would be run as a command of its own.
    shell = web["command"][-1]
    assert "\n" not in shell.strip()
    assert '--forwarded-allow-ips="${TRUSTED_PROXIES}"' in shell
    assert "'*'" not in shell and '"*"' not in shell


def test_the_proxy_terminates_tls_and_trusts_no_client_forwarded_header():
    caddyfile = CADDYFILE.read_text()
    config = "\n".join(line.split("#")[0] for line in caddyfile.splitlines())
    assert "tls {$CADDY_TLS:internal}" in config
    # Every web replica, by the service name (docker compose up --scale web=3).
    assert "reverse_proxy {" in config and "dynamic a web 8000" in config
    # With trusted_proxies unset Caddy replaces a client's X-Forwarded-For/-Proto.
    assert "trusted_proxies" not in config
    assert "header_up X-Forwarded-For" not in config
    # Pages are never compressed by the proxy (BREACH: see the Caddyfile's comment).
    assert not re.search(r"^\s*encode\b", config, re.MULTILINE)


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="Debian's docker-compose")
def test_the_compose_file_is_valid():
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        cwd=ROOT,
        env={
            "SECRET_KEY": "x",
            "FIELD_ENCRYPTION_KEYS": "x",
            "AUDIT_HMAC_KEYS": "x",
            "APP_DATABASE_PASSWORD": "x",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def sign_in(client, password: str, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    data = {"login": "ana@test.example", "password": password}
    return client.post(reverse("account_login"), data, **extra)


# A direct connection to gunicorn: from the compose network's gateway (the host), or from
# anywhere if someone publishes the port again.
@pytest.mark.parametrize("direct", ["172.30.0.1", "203.0.113.50"])
def test_a_forged_forwarded_header_on_a_direct_connection_does_not_escape_the_lockout(
    client, ana, compose, direct
):
    with override_settings(**deployed_settings(compose)):
        for forged in FORGED[: settings.AXES_FAILURE_LIMIT]:
            sign_in(client, "not the password at all", direct, forwarded=forged)
        response = sign_in(client, TEST_PASSWORD, direct, forwarded=FORGED[-1])
    assert "_auth_user_id" not in client.session
    assert b"Sign-in paused" in response.content


def test_a_forged_forwarded_header_on_a_direct_connection_is_not_in_the_audit_trail(
    client, ana, compose
):
    with override_settings(**deployed_settings(compose)):
        sign_in(client, "not the password at all", "203.0.113.50", forwarded="192.0.2.66")
        sign_in(client, TEST_PASSWORD, "203.0.113.50", forwarded="192.0.2.77")
    assert "_auth_user_id" in client.session
    recorded = set(AuditEvent.objects.values_list("ip_address", flat=True))
    assert recorded == {"203.0.113.50"}


def test_through_the_proxy_the_address_it_saw_is_the_client_address(compose):
    deployed = deployed_settings(compose)
    proxy = deployed["TRUSTED_PROXIES"][0]
    request = RequestFactory().get("/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.4")
    with override_settings(**deployed):
        assert client_address(request) == "198.51.100.4"
