"""The caseload spreadsheet (the one CSV the app writes) and its formula guard.

Demographics and assignment only, never clinical content. Every cell goes
through `csv_cell`, so a value a spreadsheet would run as a formula stays text.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from clients.models import Client

CASELOAD_HEADER = [
    "Legal first name",
    "Legal last name",
    "Preferred name",
    "Pronouns",
    "Date of birth",
    "Email",
    "Phone",
    "Status",
    "In status since",
    "Intake date",
    "Referral source",
    "Primary therapist",
]
# Only the columns the CSV carries are read from the database.
CASELOAD_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "email",
    "phone",
    "status",
    "status_changed_at",
    "intake_date",
    "referral_source",
    "primary_therapist__full_name",
    "primary_therapist__email",
)
_FORMULA_STARTS = {"=", "+", "-", "@", "\t", "\r"}


def csv_cell(value: object) -> str:
    """One cell as text; a cell starting like a formula is kept as text."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def caseload_csv_lines(clients: QuerySet[Client]) -> Iterator[str]:
    """The caseload as CSV lines, streamed in chunks so a large clinic is never held whole."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CASELOAD_HEADER)
    status = dict(Client.Status.choices)
    for c in clients.only(*CASELOAD_FIELDS).iterator(chunk_size=2000):
        therapist = c.primary_therapist
        row = [
            c.legal_first_name,
            c.legal_last_name,
            c.preferred_name,
            c.pronouns,
            c.date_of_birth,
            c.email,
            c.phone,
            status.get(c.status, c.status),
            c.status_changed_at,
            c.intake_date,
            c.referral_source,
            (therapist.full_name or therapist.email) if therapist else "",
        ]
        yield writer.writerow([csv_cell(value) for value in row])
