"""The canary for private process notes.

A unique string written into one process note must appear only on its
author's own note pages: in no other page, in no page for anyone else, in no
audit row, in no log line, and nowhere in the database in clear text. Exports,
PDFs and task messages reuse tests/canary.py when they exist.
"""

import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import PlanRevision, TherapySession
from tests.canary import (
    assert_canary_absent,
    assert_canary_not_in_audit,
    assert_canary_not_stored_in_clear,
    make_canary,
)


def note(**extra) -> dict:
    return {
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "start_time": "09:00",
        "duration_minutes": "50",
        "modality": "telehealth",
        "attendance": "attended",
        "note_format": "dap",
        "note_data": "A fictional session.",
        "risk_level": "none",
        **extra,
    }


@pytest.mark.django_db
def test_the_process_note_canary_appears_nowhere_else(client, caplog, ana, ben, dee, client_record):
    caplog.set_level(logging.DEBUG)
    canary = make_canary()
    c = client_record.pk
    elsewhere: list[tuple[str, bytes]] = []  # (what, content) that must not hold the canary
    client.force_login(ana)

    def get(url, allowed=False):
        response = client.get(url)
        assert response.status_code in {200, 302}, url
        if not allowed:
            elsewhere.append((f"GET {url} as {response.wsgi_request.user}", response.content))
        return response

    def post(url, data, **headers):
        response = client.post(url, data, **headers)
        assert response.status_code in {200, 302}, (url, response.status_code)
        elsewhere.append((f"POST {url}", response.content))
        return response

    # Ana writes the note with autosave, saves, signs and adds an addendum.
    get(reverse("clients:session_new", args=[c]))
    post(reverse("clients:session_new", args=[c]), note(process_note=canary), HTTP_X_AUTOSAVE="1")
    session = TherapySession.objects.get()
    edit = reverse("clients:session_edit", args=[c, session.pk])
    detail = reverse("clients:session_detail", args=[c, session.pk])
    post(edit, note(process_note=canary + " more"), HTTP_X_AUTOSAVE="1")
    assert canary in get(edit, allowed=True).content.decode()  # her own draft shows it
    post(edit, {**note(process_note=canary + " more"), "sign": "1"})
    assert session.__class__.objects.get().is_signed
    assert canary in get(detail, allowed=True).content.decode()
    post(
        reverse("clients:process_note_save", args=[c, session.pk]),
        {"text": canary + " added after signing"},
    )
    assert canary in get(detail, allowed=True).content.decode()
    post(
        reverse("clients:addendum_new", args=[c, session.pk]),
        {"reason": "Clarification", "text": "Added later.", "confirm": "on"},
    )

    # A plan, with this session linked, and every list and overview.
    post(reverse("clients:plan_start", args=[c]), {})
    revision = PlanRevision.objects.get()
    get(reverse("clients:revision_edit", args=[c, revision.pk]))
    for name in [
        "client_detail",
        "session_list",
        "distress",
        "plan_detail",
        "timeline",
        "plan_progress",
        "plan_compare",
    ]:
        get(reverse(f"clients:{name}", args=[c]))
    get(reverse("clients:unsigned_notes"))
    get(reverse("clients:home"))

    # The clinic admin, and a colleague who later takes over the client.
    client.force_login(dee)
    get(reverse("clients:client_detail", args=[c]))
    client_record.primary_therapist = ben
    client_record.save()
    client.force_login(ben)
    for url in [
        detail,
        reverse("clients:session_list", args=[c]),
        reverse("clients:timeline", args=[c]),
    ]:
        get(url)

    for what, content in elsewhere:
        assert_canary_absent(canary, content, what)
    assert_canary_not_in_audit(canary)
    assert_canary_absent(canary, caplog.text, "log output")
    assert_canary_absent(
        canary, "\n".join(repr(r.args) for r in caplog.records), "log record arguments"
    )
    assert_canary_not_stored_in_clear(canary)
