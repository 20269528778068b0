"""Consent documents and signatures for tests, from the demo texts the app ships."""

import datetime as dt

from django.utils import timezone

from clients.demo_consents import DEMO_TEMPLATES
from clients.models import Client, ClientConsent, ConsentKind, ConsentTemplate


def consent_template(clinic, kind: str = ConsentKind.TREATMENT) -> ConsentTemplate:
    """The clinic's current document of this kind, written from the demo text if missing."""
    found = ConsentTemplate.objects.filter(clinic=clinic, kind=kind).order_by("-version").first()
    if found:
        return found
    title, body = DEMO_TEMPLATES[kind]
    return ConsentTemplate.objects.create(
        clinic=clinic, kind=kind, version=1, title=title, body=body
    )


def signed_consent(client: Client, kind: str = ConsentKind.TREATMENT, **fields) -> ClientConsent:
    template = consent_template(client.clinic, kind)
    if kind == ConsentKind.RELEASE:
        fields.setdefault("recipient", "Dr. Lee, Riverside Family Practice")
        fields.setdefault("information", "Dates of attendance.")
        fields.setdefault("expires_on", timezone.localdate() + dt.timedelta(days=90))
    return ClientConsent.objects.create(
        client=client,
        template=template,
        kind=kind,
        signed_name=f"{client.legal_first_name} {client.legal_last_name}",
        signed_on=timezone.localdate(),
        read_confirmed=True,
        witnessed_by=client.primary_therapist,
        **fields,
    )
