import json
import logging
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from attachment_app.audit import audit, audit_anchor_write, audit_keys
from attachment_app.celery import app as celery_app
from attachment_app.models import AuditEvent
from attachment_app.tasks import audit_anchor
from tests.audit_helpers import owner_sql, rechain_from


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "anchors" / "anchors.jsonl")
    return tmp_path / "anchors" / "anchors.jsonl"


@pytest.fixture
def trail(ana):
    return [
        audit(actor=ana, action=action, summary="Client record")
        for action in (AuditEvent.Action.VIEW, AuditEvent.Action.CHANGE, AuditEvent.Action.VIEW)
    ]


def test_an_intact_trail_is_reported_ok_with_its_count(ana, capsys):
    for _ in range(3):
        audit(actor=ana, action=AuditEvent.Action.VIEW, summary="Client record")
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "OK: 3 audit events" in out
    assert "No anchor found" in out  # said plainly: a trimmed tail cannot be seen yet


def test_the_first_broken_link_is_reported_and_the_command_fails(trail):
    second = trail[1]
    # A database owner could do this; detect it.
    owner_sql(
        "UPDATE attachment_app_auditevent SET actor_label = 'someone-else' WHERE id = %s",
        [second.pk],
    )
    with pytest.raises(CommandError, match=f"id={second.pk} .*HMAC does not match"):
        call_command("verify_audit")


def test_a_deleted_row_breaks_the_chain_too(trail):
    owner_sql("DELETE FROM attachment_app_auditevent WHERE id = %s", [trail[1].pk])
    with pytest.raises(CommandError, match=f"id={trail[2].pk} .*link to the event before"):
        call_command("verify_audit")


def test_the_anchor_task_appends_the_head_to_a_private_file_and_to_the_log(
    trail, anchor_file, caplog
):
    with caplog.at_level(logging.INFO, logger="attachment_app.audit.anchor"):
        audit_anchor()  # the task the beat schedule runs
        later = audit(actor=None, action=AuditEvent.Action.LOGIN_FAILED)
        audit_anchor()
    lines = [json.loads(line) for line in anchor_file.read_text().splitlines()]
    assert [(a["sequence"], a["hash"]) for a in lines] == [
        (trail[-1].pk, trail[-1].hash),
        (later.pk, later.hash),
    ]
    assert {"anchored_at", "event_at", "key_id"} <= lines[0].keys()
    assert stat.S_IMODE(anchor_file.stat().st_mode) == 0o600
    logged = [r.getMessage() for r in caplog.records if r.name == "attachment_app.audit.anchor"]
    assert len(logged) == 2 and later.hash in logged[1]


def test_the_beat_schedule_runs_the_anchor_task(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "audit" in e["task"]]
    assert [e["task"] for e in entries] == ["attachment_app.audit_anchor"]
    celery_app.loader.import_default_modules()
    assert "attachment_app.audit_anchor" in celery_app.tasks


def test_a_correct_chain_reaches_its_anchor_and_may_grow_past_it(trail, ana, capsys):
    audit_anchor_write()
    audit(actor=ana, action=AuditEvent.Action.VIEW)
    call_command("verify_audit")
    assert f"OK: 4 audit events, chain intact, reaches the anchor at id={trail[-1].pk}." in (
        capsys.readouterr().out
    )


def test_a_trimmed_tail_is_reported_against_the_anchor(trail):
    audit_anchor_write()
    # Rows deleted from the end: what is left still chains perfectly.
    owner_sql("DELETE FROM attachment_app_auditevent WHERE id >= %s", [trail[1].pk])
    with pytest.raises(CommandError, match=f"id={trail[-1].pk} .*is missing.*ends at id="):
        call_command("verify_audit")


def test_an_emptied_trail_is_reported_against_the_anchor(trail):
    audit_anchor_write()
    owner_sql("DELETE FROM attachment_app_auditevent")
    with pytest.raises(CommandError, match="no event at all"):
        call_command("verify_audit")


def test_an_edited_row_with_plain_hashes_recomputed_is_reported(trail):
    audit_anchor_write()
    owner_sql(
        "UPDATE attachment_app_auditevent SET summary = 'forged' WHERE id = %s", [trail[1].pk]
    )
    rechain_from(trail[1].pk)  # SHA-256 redone for every row: all a forger without the key has
    with pytest.raises(CommandError, match=f"id={trail[1].pk} .*HMAC does not match"):
        call_command("verify_audit")


def test_a_chain_recomputed_with_a_leaked_key_is_still_caught_by_the_anchor(trail):
    audit_anchor_write()
    owner_sql(
        "UPDATE attachment_app_auditevent SET summary = 'forged' WHERE id = %s", [trail[1].pk]
    )
    key_id, key = next(iter(audit_keys().items()))
    rechain_from(trail[1].pk, key=key, key_id=key_id)
    with pytest.raises(CommandError, match=f"id={trail[-1].pk} no longer carries the hash"):
        call_command("verify_audit")


def test_the_anchor_can_be_read_back_from_copied_log_lines(trail, tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="attachment_app.audit.anchor"):
        audit_anchor_write()
    copied = tmp_path / "collector.log"
    copied.write_text(caplog.text + 'a line cut short {"seq\n')
    owner_sql("DELETE FROM attachment_app_auditevent WHERE id = %s", [trail[-1].pk])
    with pytest.raises(CommandError, match="is missing"):
        call_command("verify_audit", anchor=str(copied))
