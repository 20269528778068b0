"""Consent documents and signatures: versions kept, the exact version signed, audited.

`release_authorization_current` is the gate later release-of-information work calls:
no current, unrevoked authorization naming the recipient, no release.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.dates import format_date
from attachment_app.models import AuditEvent, Clinic, User
from clients.models import Client, ClientConsent, ConsentKind, ConsentTemplate

NO_AUTHORIZATION = (
    "There is no current authorization to release information to this recipient: "
    "the client must sign one first."
)


class ReleaseNotAuthorized(ValidationError):
    """A release of information was asked for without a current authorization on file."""


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def consent_template_current(*, clinic: Clinic, kind: str) -> ConsentTemplate | None:
    return ConsentTemplate.objects.filter(clinic=clinic, kind=kind).order_by("-version").first()


@transaction.atomic
def consent_template_save(
    *,
    clinic: Clinic,
    kind: str,
    title: str,
    body: str,
    by: User,
    request: HttpRequest | None = None,
) -> ConsentTemplate:
    """A new version of the clinic's document of this kind; earlier versions stay as signed."""
    if kind not in ConsentKind.values:
        raise ValidationError({"kind": "Choose a kind of consent document."})
    title, body = title.strip(), body.strip()
    if not title:
        raise ValidationError({"title": "Give the document a title."})
    if not body:
        raise ValidationError({"body": "Write the text the client reads and signs."})
    # One writer at a time per clinic, so two edits cannot both become version n.
    Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
    current = consent_template_current(clinic=clinic, kind=kind)
    if current is not None and current.title == title and current.body == body:
        raise ValidationError({"body": "Nothing was changed, so no new version was made."})
    last = ConsentTemplate.objects.filter(clinic=clinic, kind=kind).aggregate(n=Max("version"))
    template = ConsentTemplate.objects.create(
        clinic=clinic,
        kind=kind,
        version=(last["n"] or 0) + 1,
        title=title,
        body=body,
        created_by=by,
    )
    audit(
        actor=by,
        action=AuditEvent.Action.CREATE if template.version == 1 else AuditEvent.Action.CHANGE,
        request=request,
        obj=template,
        clinic_id=clinic.pk,
        summary=f"Consent document “{template.get_kind_display()}”: version {template.version}",
    )
    return template


def _name_matches(client: Client, typed: str) -> bool:
    """Every word of the legal first and last name is in what the client typed."""
    words = set(_plain(typed).replace(",", " ").split())
    needed = _plain(f"{client.legal_first_name} {client.legal_last_name}").split()
    return bool(needed) and all(word in words for word in needed)


@transaction.atomic
def consent_sign(
    *,
    client: Client,
    template: ConsentTemplate,
    signed_name: str,
    signed_on: dt.date,
    read_confirmed: bool,
    by: User,
    method: str = ClientConsent.Method.IN_PERSON,
    recipient: str = "",
    information: str = "",
    purpose: str = "",
    expires_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ClientConsent:
    """The client signs the version they were shown; it must still be the current one."""
    errors: dict[str, str] = {}
    if template.clinic_id != client.clinic_id:
        raise ValidationError({"template": "This document is not one of the clinic's."})
    current = consent_template_current(clinic=client.clinic, kind=template.kind)
    if current is None or current.pk != template.pk:
        raise ValidationError(
            {
                "template": "The clinic has changed this document since it was opened: "
                "read the new version and sign that."
            }
        )
    if not read_confirmed:
        errors["read_confirmed"] = "The client confirms they have read the document."
    if not signed_name.strip():
        errors["signed_name"] = "The client types their full name."
    elif not _name_matches(client, signed_name):
        errors["signed_name"] = (
            "Type the full name as on the record "
            f"({client.legal_first_name} {client.legal_last_name})."
        )
    today = timezone.localdate()
    if signed_on != today:
        errors["signed_on"] = f"The date of signing is today, {format_date(today)}."
    if template.kind == ConsentKind.RELEASE:
        if not recipient.strip():
            errors["recipient"] = "Name the person or organisation the information goes to."
        if not information.strip():
            errors["information"] = "Say which information may be released."
        if expires_on is None:
            errors["expires_on"] = "Give the date the authorization ends."
        elif expires_on <= today:
            errors["expires_on"] = "The end date must come after today."
        elif expires_on > today + dt.timedelta(days=366 * 5):
            errors["expires_on"] = "Choose an end date within five years."
    if errors:
        raise ValidationError(errors)
    release = template.kind == ConsentKind.RELEASE
    consent = ClientConsent.objects.create(
        client=client,
        template=template,
        kind=template.kind,
        signed_name=" ".join(signed_name.split()),
        signed_on=signed_on,
        read_confirmed=True,
        method=method,
        witnessed_by=by,
        recipient=recipient.strip() if release else "",
        information=information.strip() if release else "",
        purpose=purpose.strip() if release else "",
        expires_on=expires_on if release else None,
    )
    audit(
        actor=by,
        action=AuditEvent.Action.SIGN,
        request=request,
        client_id=client.pk,
        obj=consent,
        summary=f"Consent signed: {template.get_kind_display()}, version {template.version}",
    )
    return consent


@transaction.atomic
def consent_revoke(
    *, consent: ClientConsent, by: User, request: HttpRequest | None = None
) -> ClientConsent:
    """The client withdraws a consent or authorization; the signed copy stays on file."""
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_by = by
        consent.save(update_fields=["revoked_at", "revoked_by"])
        audit(
            actor=by,
            action=AuditEvent.Action.CHANGE,
            request=request,
            client_id=consent.client_id,
            obj=consent,
            summary=f"Consent withdrawn: {consent.get_kind_display()}",
        )
    return consent


def release_authorization_current(
    *, client: Client, recipient: str, on: dt.date | None = None
) -> ClientConsent:
    """The authorization that allows releasing this client's information to `recipient`
    on date `on` (default today), or ReleaseNotAuthorized.

    Current means: signed, not withdrawn, its end date not passed, and naming this
    recipient (compared without case or extra spaces).
    """
    on = on or timezone.localdate()
    wanted = _plain(recipient)
    if wanted:
        candidates = ClientConsent.objects.filter(
            client=client,
            kind=ConsentKind.RELEASE,
            revoked_at__isnull=True,
            signed_on__lte=on,
            expires_on__gte=on,
        ).order_by("-expires_on", "-signed_at")
        for consent in candidates:
            if _plain(consent.recipient) == wanted:
                return consent
    raise ReleaseNotAuthorized(NO_AUTHORIZATION, code="no_authorization")
