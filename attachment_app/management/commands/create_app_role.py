"""Create (or bring up to date) the PostgreSQL role the app connects as.

Run as the database owner, after every `migrate` (it is idempotent). The app role may
read and change the app's tables but may only read and append audit events: no
UPDATE, DELETE or TRUNCATE on the audit table, and it owns nothing, so it cannot
drop or disable the triggers either.
"""

import os
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from attachment_app.models import AuditEvent

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Command(BaseCommand):
    help = (
        "Create or update the app's PostgreSQL role: full DML on the app's tables, only "
        "SELECT and INSERT on the audit table. Run as the owner after migrate."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--role",
            default=os.environ.get("APP_DATABASE_ROLE", "attachment_app"),
            help="Role name (default: APP_DATABASE_ROLE or attachment_app).",
        )
        parser.add_argument(
            "--password-env",
            default="APP_DATABASE_PASSWORD",
            help="Environment variable holding the role's password (default: "
            "APP_DATABASE_PASSWORD). Unset: an existing role keeps its password.",
        )

    def handle(self, *args, role: str, password_env: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("create_app_role is for PostgreSQL; SQLite has no roles.")
        if not ROLE_NAME.match(role):
            raise CommandError(f"{role!r} is not a plain role name (a-z, 0-9, _).")
        password = os.environ.get(password_env, "")
        role_id = sql.Identifier(role)
        audit = sql.Identifier(AuditEvent._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cursor.fetchone() is not None
            if not exists and not password:
                raise CommandError(f"Set {password_env} to the new role's password.")
            verb = sql.SQL("ALTER ROLE" if exists else "CREATE ROLE")
            statement = sql.SQL(
                "{} {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            ).format(verb, role_id)
            if password:
                statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
            for query in [
                statement,
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(connection.settings_dict["NAME"]), role_id
                ),
                sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role_id),
                sql.SQL(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
                ).format(role_id),
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(
                    role_id
                ),
                # Tables that later migrations create get the same, until this runs again.
                sql.SQL(
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
                ).format(role_id),
                sql.SQL(
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                    "GRANT USAGE, SELECT ON SEQUENCES TO {}"
                ).format(role_id),
                # The audit trail: read and append, nothing else.
                sql.SQL("REVOKE ALL ON {} FROM {}").format(audit, role_id),
                sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(audit, role_id),
            ]:
                cursor.execute(query)
        self.stdout.write(
            self.style.SUCCESS(
                f"Role {role} {'updated' if exists else 'created'}: full DML on the app's "
                f"tables; SELECT and INSERT only on {AuditEvent._meta.db_table}."
            )
        )
