"""Headers on every response, safe GETs, CSRF on every POST, error pages in the app's layout."""

import json
import subprocess
import sys

import pytest
from django.template import loader
from django.test import Client, override_settings
from django.urls import reverse

from tests.pagewalk import all_pages, changed_tables, snapshot
from tests.test_settings import ROOT, production_env
from tests.urlwalk import all_routes


def assert_protective_headers(response, where: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: {csp}"
    assert "frame-ancestors 'none'" in csp, where
    assert "script-src 'self'" in csp, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") in {"same-origin", "no-referrer"}, where
    assert response.get("X-Frame-Options") == "DENY", where
    assert "no-store" in response.get("Cache-Control", ""), f"{where}: may be cached"
    policy = {
        part.strip() for part in response.get("Permissions-Policy", "").split(",") if part.strip()
    }
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy, f"{where}: {feature} not off in Permissions-Policy"


@pytest.fixture
def as_dee(dee):
    c = Client()
    c.force_login(dee)
    return c


@pytest.mark.parametrize("persona", ["as_ana", "as_dee"])
def test_no_page_changes_anything_on_get_and_every_page_carries_the_headers(
    request, persona, client_record
):
    browser = request.getfixturevalue(persona)
    pages = all_pages(client_record)
    assert len(pages) > 20
    for _route, url in pages:
        before = snapshot()
        response = browser.get(url)
        assert response.status_code < 500, f"GET {url} answered {response.status_code}"
        changed = changed_tables(before, snapshot())
        assert not changed, f"GET {url} changed {changed}: state changes need POST"
        assert_protective_headers(response, f"GET {url}")


def test_no_view_is_exempt_from_csrf_protection():
    exempt = [r.route for r in all_routes() if getattr(r.pattern.callback, "csrf_exempt", False)]
    assert not exempt, f"csrf_exempt views: {exempt}"


def test_every_post_without_a_csrf_token_is_refused(ana, client_record):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ana)
    for _route, url in all_pages(client_record):
        before = snapshot()
        response = browser.post(url, {"reason": "x", "note": "x"})
        assert response.status_code == 403, f"POST {url} answered {response.status_code}"
        assert not changed_tables(before, snapshot())
    assert b"This form has expired" in response.content  # in the app's own words


def test_a_post_with_the_token_gets_through(ana):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ana)
    browser.get(reverse("clients:home"))
    token = browser.cookies["csrftoken"].value
    response = browser.post(reverse("session_keepalive"), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_not_found_page_is_in_the_apps_layout_with_the_headers(as_ana):
    response = as_ana.get("/no/such/page/")
    assert response.status_code == 404
    assert_protective_headers(response, "404")
    html = response.content.decode()
    assert "<h1" in html and "Skip to main content" in html  # the app's layout, its own words


def test_forbidden_page_is_in_the_apps_layout_with_the_headers(client, dee, client_record):
    client.force_login(dee)
    response = client.get(reverse("clients:emergency_access", args=[client_record.pk]))
    assert response.status_code == 403
    assert_protective_headers(response, "403")
    assert "Not available to you" in response.content.decode()


def test_bad_request_page_is_in_the_apps_layout(as_ana):
    response = as_ana.get(reverse("clients:home"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_protective_headers(response, "400")
    assert "That request could not be read" in response.content.decode()


def test_the_500_page_renders_without_a_request_or_context():
    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html and "Skip to main content" in html


@override_settings(ROOT_URLCONF="tests.urls_broken", DEBUG=False)
def test_a_crash_shows_the_apps_500_page_with_no_stack_trace(ana):
    browser = Client(raise_request_exception=False)
    browser.force_login(ana)
    response = browser.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Traceback" not in html and "secret-detail" not in html
    assert_protective_headers(response, "500")


def test_file_downloads_carry_the_headers_too(as_ana):
    # Stands in for export downloads: any FileResponse passes the same middleware.
    with override_settings(ROOT_URLCONF="tests.urls_broken"):
        response = as_ana.get("/download/")
    assert response.status_code == 200
    assert_protective_headers(response, "download")


def production_values() -> dict:
    code = (
        "import json, attachment_app.settings.production as p;"
        "print(json.dumps({k: getattr(p, k) for k in ["
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SESSION_COOKIE_SECURE',"
        "'CSRF_COOKIE_SECURE','SESSION_COOKIE_NAME','CSRF_COOKIE_NAME','SECURE_SSL_REDIRECT',"
        "'SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE','CSRF_COOKIE_HTTPONLY',"
        "'DEBUG','SECURE_PROXY_SSL_HEADER']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(SECRET_KEY="x" * 50),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.mark.django_db
def test_production_sends_hsts_and_marks_cookies_secure_http_only_same_site(ana):
    values = production_values()
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    with override_settings(**values):
        browser = Client()
        response = browser.get(reverse("account_login"), secure=True)
        assert response.status_code == 200
        assert "max-age=31536000" in response["Strict-Transport-Security"]
        assert_protective_headers(response, "production sign-in page")
        csrf_cookie = response.cookies[values["CSRF_COOKIE_NAME"]]
        assert csrf_cookie["secure"] and csrf_cookie["httponly"]
        assert csrf_cookie["samesite"] in {"Lax", "Strict"}
        response = browser.post(
            reverse("account_login"),
            {"login": "ana@test.example", "password": "correct horse battery staple"},
            secure=True,
        )
        session_cookie = response.cookies[values["SESSION_COOKIE_NAME"]]
        assert session_cookie["secure"] and session_cookie["httponly"]
        assert session_cookie["samesite"] in {"Lax", "Strict"}
        # Plain HTTP is sent to HTTPS.
        assert browser.get(reverse("account_login")).status_code == 301
