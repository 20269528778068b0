"""Hostile input: generated data into every form, an XSS corpus into every text field,
junk query parameters on every page, and bodies too large to accept.

All walks are generic: a new page, form or model field is covered without anyone
remembering to add it here.
"""

import html
import string

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from attachment_app.fields import EncryptedTextField
from attachment_app.models import AuditEvent
from tests.formwalk import FoundForm, forms_on
from tests.pagewalk import all_pages

LOCAL_APPS = {"attachment_app", "clients", "exercises"}
# Forms whose posting ends the walk itself (signing out) or that only sign in.
SKIP_ACTIONS = ("/accounts/logout/", "/accounts/login/")
ERROR_MARKERS = ("is-invalid", "invalid-feedback", "errorlist", "alert-danger", "alert-block")

CORPUS = [
    "",
    " ",
    "<script>alert(1)</script>",
    "'; DROP TABLE clients_client; --",
    "\u202eevil\u202c and more text",
    "Zoë 🌱 名前 with enough words",
    "9" * 40,
    "-1",
    "1e309",
    "2024-02-30",
    "x" * 5000,
    "../../etc/passwd",
    "{{ 7*7 }} {% now 'Y' %}",
    "null\x00byte in the middle",
]
hostile_text = st.one_of(st.text(max_size=200), st.sampled_from(CORPUS))


def value_strategy(f):
    if f.kind in {"select", "radio"} and f.options:
        return st.one_of(st.sampled_from(f.options), hostile_text)
    if f.kind == "checkbox":
        return st.sampled_from([None, f.options[0] if f.options else "on"])
    if f.kind == "number":
        return st.one_of(st.integers(-(10**12), 10**12).map(str), hostile_text)
    if f.kind == "date":
        return st.one_of(st.dates().map(str), hostile_text)
    if f.kind == "hidden":
        return st.one_of(st.just(f.value), hostile_text)
    return hostile_text


def discover_forms(user, client_record) -> list[FoundForm]:
    browser = Client()
    browser.force_login(user)
    found: dict[tuple, FoundForm] = {}
    for _route, url in all_pages(client_record):
        response = browser.get(url, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.redirect_chain[-1][0] if response.redirect_chain else url
        for form in forms_on(page, response.content.decode()):
            if not form.action.split("?")[0].endswith(SKIP_ACTIONS):
                found.setdefault(form.signature(), form)
    return list(found.values())


def check_typed_values_kept(form: FoundForm, data: dict, content: str) -> None:
    """A rejected form comes back with what was typed (passwords and hidden ids excepted)."""
    for name, value in data.items():
        kind = form.fields[name].kind
        if kind in {"password", "hidden", "checkbox", "radio", "select"} or not value:
            continue
        if not all(ch in string.printable or ord(ch) > 127 for ch in value):
            continue  # control characters are refused outright
        assert html.escape(value) in content, f"{form.action}: lost what was typed in {name}"


def post_and_check(form: FoundForm, user, browser: Client, data: dict) -> None:
    browser.force_login(user)
    sent = {k: v for k, v in data.items() if v is not None}
    # Each post starts from the same data: one accepted post must not turn the
    # form off for the rest (a grant made, a plan signed).
    with transaction.atomic():
        response = browser.post(form.action, sent)
        transaction.set_rollback(True)
    assert response.status_code < 500, f"POST {form.action} {sent!r}"
    content = response.content.decode(errors="replace")
    if response.status_code == 200 and any(m in content for m in ERROR_MARKERS):
        check_typed_values_kept(form, sent, content)


def corpus_pass(form: FoundForm, user, browser: Client) -> None:
    """Every corpus value in every free-text field at once, before the random search."""
    for value in CORPUS:
        data = {}
        for name, f in form.fields.items():
            if f.kind in {"select", "radio", "checkbox"}:
                data[name] = f.options[0] if f.options else None
            elif f.kind == "hidden":
                data[name] = f.value
            else:
                data[name] = value
        post_and_check(form, user, browser, data)


def poster_for(form: FoundForm, user, browser: Client):
    strategies = {name: value_strategy(f) for name, f in sorted(form.fields.items())}

    @hsettings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(st.fixed_dictionaries(strategies))
    def post_generated(data):
        post_and_check(form, user, browser, data)

    return post_generated


@pytest.mark.parametrize("persona", ["ana", "mara"])
def test_generated_data_posted_to_every_form_never_crashes(request, persona, client_record):
    user = request.getfixturevalue(persona)
    forms = discover_forms(user, client_record)
    assert forms, "the walk found no form at all"
    browser = Client()
    for form in forms:
        corpus_pass(form, user, browser)
        poster_for(form, user, browser)()


XSS = "\"'><xss-probe>"  # short enough for most text fields; must never appear raw


def text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | EncryptedTextField)
        and not f.choices
        and not f.primary_key
        and f.name not in {"password", "hash", "previous_hash"}
        and (f.max_length is None or f.max_length >= len(XSS))
    ]


def write_probe_into_every_text_field() -> int:
    written = 0
    for model in apps.get_models():
        if model._meta.app_label not in LOCAL_APPS or model is AuditEvent or model._meta.proxy:
            continue
        fields = text_fields(model)
        for obj in model._base_manager.all():
            values = {}
            for f in fields:
                unique = f.unique and f.name != "email"
                values[f.name] = f"{XSS}{obj.pk}" if unique else XSS
                if f.name == "email":
                    values[f.name] = f"{XSS}{obj.pk}@x.example"
            if values:
                model._base_manager.filter(pk=obj.pk).update(**values)
                written += len(values)
    return written


def body(response) -> bytes:
    """The bytes of any response, downloads (streamed) included."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def pdf_shows_probe_as_text(data: bytes, url: str) -> int:
    """In a PDF, escaped markup prints literally; unescaped markup vanishes into the layout."""
    import io

    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    start = XSS.split("<")[0]
    assert text.count(start) <= text.count(XSS), f"{url}: stored text rendered as markup"
    return text.count(XSS)


@pytest.mark.parametrize("persona", ["ana", "mara", "dee"])
def test_an_xss_corpus_in_every_text_field_renders_escaped_on_every_page(
    request, persona, client_record
):
    user = request.getfixturevalue(persona)
    pages = all_pages(client_record)  # makes the objects each URL names, before probing
    assert write_probe_into_every_text_field() > 5
    browser = Client()
    browser.force_login(user)
    shown = 0
    for _route, url in pages:
        response = browser.get(url)
        data = body(response)
        if response.get("Content-Type", "").startswith("application/pdf"):
            shown += pdf_shows_probe_as_text(data, url)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # a CSV or JSON download is data, never rendered as markup
        content = data.decode(errors="replace")
        assert "<xss-probe>" not in content, f"{url} shows stored text unescaped"
        shown += content.count("&lt;xss-probe&gt;")
    assert shown > 0, "no page showed any stored text: the probe proves nothing"


JUNK_QUERY = {
    "sort": "name; DROP TABLE x",
    "order": "-__class__",
    "page": "-1",
    "per_page": "99999999",
    "status": "<script>",
    "q": "%' OR 1=1 --",
    "therapist": "not-a-uuid",
    "from": "2024-13-45",
    "unknown": "\u0000",
}


@pytest.mark.parametrize("persona", ["ana", "dee"])
def test_unknown_query_parameters_never_crash_a_page(request, persona, client_record):
    browser = Client()
    browser.force_login(request.getfixturevalue(persona))
    for _route, url in all_pages(client_record):
        response = browser.get(url, JUNK_QUERY)
        assert response.status_code < 500, f"GET {url}?junk answered {response.status_code}"


@pytest.fixture
def browser_as_ana(ana):
    """As a browser is: CSRF checked, so the body is read before any view runs."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ana)
    browser.get("/")  # the CSRF cookie, as a browser would have it
    return browser


def test_a_ten_megabyte_note_gets_a_clear_error_page(browser_as_ana, client_record):
    as_ana = browser_as_ana
    url = f"/clients/{client_record.pk}/"
    note = "a" * (10 * 1024 * 1024)
    for content_type in ("application/x-www-form-urlencoded", None):
        if content_type:
            response = as_ana.post(url, f"note={note}", content_type=content_type)
        else:
            response = as_ana.post(url, {"note": note})  # multipart
        assert response.status_code == 413
        text = response.content.decode()
        assert "Too much to save at once" in text and "Skip to main content" in text
        assert "Content-Security-Policy" in response


def test_ten_thousand_fields_get_a_clear_error_page(browser_as_ana, client_record):
    fields = {f"figure-{i}": "x" for i in range(10_000)}
    response = browser_as_ana.post(f"/clients/{client_record.pk}/", fields)
    assert response.status_code == 413
    assert "Too much to save at once" in response.content.decode()


def test_the_request_size_limit_is_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 5000
