"""The app's PostgreSQL role may read and append audit rows, nothing more (issue 13)."""

import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.conftest import need


@pytest.fixture
def app_role(transactional_db, monkeypatch):
    """A role made by `create_app_role` inside the test database, dropped afterwards."""
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    name = f"att_test_app_{uuid.uuid4().hex[:8]}"  # roles are cluster-wide: never shared
    monkeypatch.setenv("APP_DATABASE_PASSWORD", "test-only-password")
    call_command("create_app_role", role=name)
    role_conn = _connect(user=name, password="test-only-password")
    yield role_conn
    role_conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


def _connect(*, user: str, password: str = "") -> psycopg.Connection:
    """A connection of its own, as the app (or the owner) would open it in deployment."""
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        dbname=s["NAME"],
        user=user,
        password=password or s["PASSWORD"] or "",
        autocommit=True,
    )


def _insert_event(conn) -> int:
    return conn.execute(
        "INSERT INTO attachment_app_auditevent (uuid, created_at, actor_label, action,"
        " object_type, object_id, summary, previous_hash, hash, key_id)"
        " VALUES (%s, %s, '', 'view', '', '', 'as app', '', 'h', 'k') RETURNING id",
        [uuid.uuid4(), timezone.now()],
    ).fetchone()[0]


def test_the_app_role_may_insert_and_read_audit_rows_but_not_change_them(app_role):
    event_id = _insert_event(app_role)
    assert app_role.execute(
        "SELECT summary FROM attachment_app_auditevent WHERE id = %s", [event_id]
    ).fetchone()
    for statement in [
        "UPDATE attachment_app_auditevent SET summary = 'edited'",
        "DELETE FROM attachment_app_auditevent",
        "TRUNCATE attachment_app_auditevent",
        "ALTER TABLE attachment_app_auditevent DISABLE TRIGGER ALL",
    ]:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_role.execute(statement)
    assert app_role.execute("SELECT count(*) FROM attachment_app_auditevent").fetchone() == (1,)


def test_the_app_role_keeps_full_use_of_the_other_tables(app_role, clinic):
    app_role.execute("UPDATE attachment_app_clinic SET name = 'Renamed' WHERE id = %s", [clinic.pk])
    clinic.refresh_from_db()
    assert clinic.name == "Renamed"
    app_role.execute("DELETE FROM django_session")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # and no schema changes
        app_role.execute("CREATE TABLE public.not_ours (id int)")


def test_the_owner_cannot_truncate_the_audit_table_either(app_role):
    _insert_event(app_role)
    # The owner, connected without the test settings' between-tests allowance.
    with (
        _connect(user=connection.settings_dict["USER"]) as owner,
        pytest.raises(psycopg.errors.RaiseException, match="TRUNCATE refused"),
    ):
        owner.execute("TRUNCATE attachment_app_auditevent CASCADE")
    assert app_role.execute("SELECT count(*) FROM attachment_app_auditevent").fetchone() == (1,)
