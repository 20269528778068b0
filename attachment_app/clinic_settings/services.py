"""Saving the clinic's settings: one audit row per changed field, old and new value."""

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, Clinic, User

# Longest stretch of a text setting (the crisis line) quoted in the audit summary.
QUOTE = 60


@dataclass(frozen=True)
class SettingChange:
    field: str
    label: str
    old: str
    new: str

    @property
    def summary(self) -> str:
        return f"Clinic setting “{self.label}”: {self.old} → {self.new}"[:300]


def shown(clinic: Clinic, field: str) -> str:
    """A setting's value as the audit trail writes it: choices by their label, text quoted."""
    model_field = clinic._meta.get_field(field)
    value = getattr(clinic, field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str):
        flat = " ".join(value.split())
        if not flat:
            return "(empty)"
        return f"“{flat[:QUOTE]}{'…' if len(flat) > QUOTE else ''}”"
    return str(value)


@transaction.atomic
def clinic_settings_update(
    *,
    clinic: Clinic,
    values: dict[str, object],
    labels: dict[str, str],
    by: User,
    request: HttpRequest | None = None,
) -> list[SettingChange]:
    """Write the new values (already validated) and audit each one that changed.

    Takes effect at once: every request reads its clinic afresh (idle timeout, MFA,
    zone and date format), and documents read the job's clinic when they render.
    """
    locked = Clinic.objects.select_for_update().get(pk=clinic.pk)
    changes = []
    for field, value in values.items():
        old = shown(locked, field)
        if getattr(locked, field) == value:
            continue
        setattr(locked, field, value)
        changes.append(SettingChange(field, labels.get(field, field), old, shown(locked, field)))
    if not changes:
        return []
    locked.full_clean()
    locked.save(update_fields=[c.field for c in changes])
    for change in changes:
        audit(
            actor=by,
            action=AuditEvent.Action.CHANGE,
            request=request,
            obj=locked,
            clinic_id=locked.pk,
            summary=change.summary,
        )
    for change in changes:
        setattr(clinic, change.field, getattr(locked, change.field))
    return changes
