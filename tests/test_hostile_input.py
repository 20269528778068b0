"""Hostile input: generated data into every form, an XSS corpus into every text field,
junk query parameters on every page, and bodies too large to accept.

All walks are generic: a new page, form or model field is covered without anyone
remembering to add it here.
"""

import html
import string
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
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

    # How many examples: the Hypothesis profile (tests/conftest.py) decides.
    @hsettings(
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


# Boundaries, by hand ----------------------------------------------------------------
# The generated walks above rarely hit exact edges; these do, on SQLite and PostgreSQL.

BIG_IDS = [str(2**63), str(2**64), str(-(2**63) - 1), "9" * 5000]
EDGE_IDS = ["0", "-1", str(2**63 - 1), *BIG_IDS, "1\x00", "1e3", "０"]
LONE_SURROGATE = "%ED%A0%80"  # U+D800 as UTF-8 bytes: not a character


def form_body(fields: list[tuple[str, str]], raw: str = "") -> str:
    from urllib.parse import urlencode

    return urlencode(fields) + raw


@pytest.mark.parametrize("value", EDGE_IDS)
def test_an_edge_id_in_a_multiple_choice_field_is_a_form_error(as_ana, client_record, value):
    url = reverse("exercises:exploration_start", args=[client_record.pk])
    body = form_body([("date", "2026-03-02"), ("mode", "pick"), ("prompts", value)])
    response = as_ana.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert any(marker in response.content.decode() for marker in ERROR_MARKERS)


def test_a_lone_surrogate_or_huge_string_as_an_id_is_a_form_error(as_ana, client_record):
    url = reverse("exercises:exploration_start", args=[client_record.pk])
    for raw in (f"&prompts={LONE_SURROGATE}", "&prompts=" + "1" * 100_000):
        body = form_body([("date", "2026-03-02"), ("mode", "pick")], raw)
        response = as_ana.post(url, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200, raw[:40]


@pytest.mark.parametrize("value", BIG_IDS)
def test_an_id_too_big_for_the_database_is_refused_by_every_kind_of_choice_field(value, clinic):
    from attachment_app.ids import ModelChoiceField, ModelMultipleChoiceField
    from attachment_app.models import User

    for field in (
        ModelChoiceField(queryset=User.objects.all()),
        ModelMultipleChoiceField(queryset=User.objects.all()),
    ):
        with pytest.raises(ValidationError) as error:
            field.clean([value] if isinstance(field, ModelMultipleChoiceField) else value)
        assert error.value.code == "invalid_choice"


def test_a_bulk_action_with_a_huge_client_id_is_a_form_error(client, mara, client_record):
    client.force_login(mara)
    response = client.post(
        reverse("clients:caseload_bulk"),
        {"clients": [str(client_record.pk), str(2**64)], "action": "status", "status": "paused"},
    )
    assert response.status_code < 500


def test_every_choice_of_rows_in_every_form_is_guarded():
    """Forms built by Django from models, and the project's own: ids are checked first."""
    import importlib
    import pkgutil

    from django import forms

    from attachment_app import ids

    for app in LOCAL_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(f".{part}" in info.name for part in ("migrations", "management", "settings")):
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if not (isinstance(obj, type) and issubclass(obj, forms.BaseForm)):
                    continue
                for name, field in getattr(obj, "base_fields", {}).items():
                    if isinstance(field, forms.ModelMultipleChoiceField):
                        assert isinstance(field, ids.ModelMultipleChoiceField), (obj, name)
                    elif isinstance(field, forms.ModelChoiceField) and not isinstance(
                        field, ids.ModelChoiceField
                    ):
                        # Django's own: only a single exact lookup, which 5.x keeps in range.
                        assert not type(field).__module__.startswith(tuple(LOCAL_APPS)), name


def source_files():
    root = Path(settings.BASE_DIR)
    for app in LOCAL_APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_form_chooses_rows_with_djangos_unguarded_fields():
    offenders = [
        str(path)
        for path in source_files()
        if path.name != "ids.py"
        and ("forms.ModelChoiceField" in (text := path.read_text()) or "forms.ModelMulti" in text)
    ]
    assert offenders == []


def test_every_json_body_is_read_through_the_one_schema_reader():
    import re

    # The reader itself, the audit trail reading back the anchor file it wrote itself, and
    # the encrypted JSON field reading back what the app stored (companion copies).
    not_bodies = {"jsonbody.py", "audit.py", "fields.py"}
    parsers = [
        str(p) for p in source_files() if p.name not in not_bodies and "json.loads" in p.read_text()
    ]
    assert parsers == []
    audit = (Path(settings.BASE_DIR) / "attachment_app" / "audit.py").read_text()
    assert "request.body" not in audit
    # Every view that reads a raw body hands it straight to a schema reader.
    readers = r"(read_json_body|parse_operation)\(request\.body\b"
    raw_reads = [
        str(p)
        for p in source_files()
        if len(re.findall(r"request\.body\b", text := p.read_text()))
        != len(re.findall(readers, text))
    ]
    assert raw_reads == []
    editor = (Path(settings.BASE_DIR) / "exercises" / "map_editor.py").read_text()
    assert "read_json_body(body, OPERATION" in editor


OUR_APPS = ("attachment_app.", "clients.", "exercises.")


def ours(route) -> bool:
    return route.pattern.lookup_str.startswith(OUR_APPS)


def test_no_url_of_ours_takes_an_unbounded_integer():
    from tests.urlwalk import all_routes

    unbounded = [r.route for r in all_routes() if ours(r) and "int" in r.converters.values()]
    assert unbounded == []


@pytest.mark.parametrize("value", [str(2**63), str(2**64), "9" * 19, "9" * 40])
def test_an_integer_id_past_64_bits_in_any_url_is_a_404(value, client, mara, client_record):
    from tests.pagewalk import OWNED_OBJECTS, _make
    from tests.urlwalk import all_routes

    client.force_login(mara)
    routes = [r for r in all_routes() if {"id", "int"} & set(r.converters.values())]
    assert routes
    for route in routes:
        values = {}
        for kwarg, converter in route.converters.items():
            if converter in {"id", "int"}:
                values[kwarg] = value
            else:
                values[kwarg] = _make(OWNED_OBJECTS[kwarg], client_record)
        url = route.fill(values)
        if ours(route):
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
        else:  # allauth's own <int:> routes: never a 500 (they ask for the password first)
            assert client.get(url).status_code < 500, url
            assert client.post(url).status_code < 500, url


# The map editor's JSON --------------------------------------------------------------

NESTED = "[" * 5000 + "]" * 5000  # under the size bound, past the recursion limit


@pytest.fixture
def a_map(client_record):
    from exercises.models import FigureRole
    from tests.factories_exercises import FigureFactory, RelationshipMapFactory

    rmap = RelationshipMapFactory(client=client_record)
    FigureFactory(map=rmap, role=FigureRole.CLIENT, label="Robin")
    return rmap


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"op": "add_figure", "label": "X", "x": NaN}', "x"),
        ('{"op": "add_figure", "label": "X", "x": Infinity}', "x"),
        ('{"op": "add_figure", "label": "X", "y": -Infinity}', "y"),
        ('{"op": "add_figure", "label": "X", "x": 1e999}', "x"),
        ('{"op": "add_figure", "label": "X", "x": 1.5}', "x"),
        ('{"op": "add_figure", "label": "X", "x": "12"}', "x"),
        ('{"op": "add_figure", "label": "X", "x": true}', "x"),
        ('{"op": "add_figure", "label": "X", "x": [[[[1]]]]}', "x"),
        ('{"op": "add_figure", "label": "X", "x": 18446744073709551616}', "x"),
        ('{"op": "add_figure", "label": 5}', "label"),
        ('{"op": "add_figure", "label": "' + "x" * 61 + '"}', "label"),
        ('{"op": "add_figure", "label": "X", "deceased": "yes"}', "deceased"),
        ('{"op": "add_figure", "label": "X", "colour": "red"}', "colour"),
        ('{"op": "move_figure", "figure": 12, "x": 1, "y": 1}', "figure"),
        ('{"op": "add_tie", "source": ["a"], "target": "b"}', "source"),
        ('{"op": "update_tie", "tie": {"id": 1}}', "tie"),
        ('{"op": ["add_figure"]}', "op"),
        ('{"op": null}', "op"),
        ('{"label": "X"}', "op"),
        ('{"op": "add_tie", "trust": ' + NESTED + "}", None),
        (NESTED, None),
        ('{"op": "add_figure", "label": "X", "x": ' + "9" * 5000 + "}", None),
        ("NaN", None),
        ("\ud800", None),
    ],
)
def test_hostile_json_to_the_map_editor_is_a_400_that_names_the_field(as_ana, a_map, raw, field):
    from exercises.models import Figure

    before = Figure.objects.count()
    response = as_ana.post(
        reverse("exercises:map_save", args=[a_map.client_id, a_map.pk]),
        data=raw.encode("utf-8", "surrogatepass"),
        content_type="application/json",
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["error"]
    if field is not None:
        assert field in answer["errors"], answer
    assert Figure.objects.count() == before


def test_invalid_utf8_in_the_map_editors_body_is_a_400(as_ana, a_map):
    response = as_ana.post(
        reverse("exercises:map_save", args=[a_map.client_id, a_map.pk]),
        data=b'{"op": "add_figure", "label": "\xff\xfe"}',
        content_type="application/json",
    )
    assert response.status_code == 400


def test_hypothesis_runs_a_reproducible_profile_in_ci():
    import os

    from hypothesis import settings as current

    expected = os.environ.get("HYPOTHESIS_PROFILE") or (
        "ci" if os.environ.get("CI", "").lower() == "true" else "default"
    )
    assert current._current_profile == expected
    assert current.get_profile("ci").derandomize
    assert current.get_profile("explore").max_examples > current.get_profile("ci").max_examples
