"""Fictional consent documents and signatures for the demo clinic (seed_demo).

The texts are plain-language samples for a demonstration, not legal advice: a
clinic writes its own on the settings pages.
"""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from attachment_app.models import Clinic, User
from clients.models import Client, ClientConsent, ConsentKind, ConsentTemplate

DEMO_TEMPLATES: dict[str, tuple[str, str]] = {
    ConsentKind.TREATMENT: (
        "Consent to treatment",
        "I agree to take part in attachment-based psychotherapy with a clinician of this "
        "clinic. Therapy may include talking about early relationships, exercises such as "
        "relationship mapping and reparenting letters, and practice between sessions.\n\n"
        "I understand that therapy can bring up difficult feelings, that I may ask "
        "questions about any part of it, and that I may stop at any time.\n\n"
        "I understand the clinic's fees and cancellation policy, which were explained to me.",
    ),
    ConsentKind.TELEHEALTH: (
        "Consent to telehealth",
        "Some sessions may take place by video or phone. I will join from a private place "
        "and tell my clinician where I am at the start of each session, so that help can "
        "reach me in an emergency.\n\n"
        "I understand that a connection can fail, and that we will then continue by phone "
        "or arrange another time.",
    ),
    ConsentKind.CONFIDENTIALITY: (
        "Limits of confidentiality",
        "What I say in therapy stays between me and the clinic, with these exceptions: "
        "when there is a serious risk of harm to me or someone else; when a child or a "
        "vulnerable adult may be at risk; when a court orders records to be released; and "
        "when I authorize a release in writing.\n\n"
        "My clinician may discuss my care with a clinical supervisor, who is bound by the "
        "same confidentiality.",
    ),
    ConsentKind.RELEASE: (
        "Authorization to release information",
        "I authorize the clinic to release the information named below to the person or "
        "organisation named below, for the purpose stated, until the end date given.\n\n"
        "I may withdraw this authorization in writing at any time, except for information "
        "already released. Information released may no longer be protected by the "
        "clinic's confidentiality.",
    ),
}


def demo_consent_templates(clinic: Clinic, by: User | None = None) -> dict[str, ConsentTemplate]:
    """Version 1 of each demo document, once per clinic."""
    made = {}
    for kind, (title, body) in DEMO_TEMPLATES.items():
        template = ConsentTemplate.objects.filter(clinic=clinic, kind=kind).order_by("-version")
        made[kind] = template.first() or ConsentTemplate.objects.create(
            clinic=clinic, kind=kind, version=1, title=title, body=body, created_by=by
        )
    return made


def seed_demo_consents(*, clinic: Clinic) -> int:
    """Signed intake consents for every assigned client but one (left to show the flag),
    and a release authorization for a few. Clients who already have any consent are
    left alone, so a second run adds nothing."""
    templates = demo_consent_templates(clinic)
    any_consent = ClientConsent.objects.filter(client=OuterRef("pk"))
    clients = list(
        Client.objects.filter(clinic=clinic, primary_therapist__isnull=False)
        .exclude(status=Client.Status.WAITLIST)
        .annotate(signed_any=Exists(any_consent))
        .select_related("primary_therapist")
        .order_by("legal_last_name", "legal_first_name", "pk")
    )
    if not clients or any(c.signed_any for c in clients):
        return 0
    now, rows = timezone.now(), []
    for i, client in enumerate(clients[1:], start=1):  # the first one has signed nothing yet
        signed_on = client.intake_date
        signed_at = dt.datetime.combine(signed_on, dt.time(10, 0), tzinfo=dt.UTC)
        name = f"{client.legal_first_name} {client.legal_last_name}"
        kinds = [ConsentKind.TREATMENT, ConsentKind.CONFIDENTIALITY]
        if i % 3 == 0:
            kinds.append(ConsentKind.TELEHEALTH)
        for kind in kinds:
            rows.append(
                ClientConsent(
                    client=client,
                    template=templates[kind],
                    kind=kind,
                    signed_name=name,
                    signed_on=signed_on,
                    read_confirmed=True,
                    signed_at=min(signed_at, now),
                    witnessed_by=client.primary_therapist,
                )
            )
        if i % 5 == 0:
            rows.append(
                ClientConsent(
                    client=client,
                    template=templates[ConsentKind.RELEASE],
                    kind=ConsentKind.RELEASE,
                    signed_name=name,
                    signed_on=signed_on,
                    read_confirmed=True,
                    signed_at=min(signed_at, now),
                    witnessed_by=client.primary_therapist,
                    recipient="Dr. Jordan Fictional, Riverside Family Practice",
                    information="Dates of attendance and the current treatment plan's goals.",
                    purpose="Coordination of care with the family doctor.",
                    expires_on=timezone.localdate() + dt.timedelta(days=180),
                )
            )
    ClientConsent.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def seed_demo_releases(*, clinic: Clinic) -> int:
    """Pending release requests: one from the family doctor a release authorization names
    (received twelve days ago), one from a client, past its 30 days. Once only."""
    from clients.models import ReleasePart, ReleaseRequest
    from clients.services.releases import release_request_log

    if ReleaseRequest.objects.filter(client__clinic=clinic).exists():
        return 0
    today = timezone.localdate()
    authorized = (
        ClientConsent.objects.filter(
            client__clinic=clinic,
            kind=ConsentKind.RELEASE,
            revoked_at__isnull=True,
            expires_on__gte=today,
        )
        .select_related("client__primary_therapist")
        .order_by("signed_at", "pk")
        .first()
    )
    made = 0
    if authorized is not None and authorized.client.primary_therapist is not None:
        release_request_log(
            client=authorized.client,
            by=authorized.client.primary_therapist,
            requester=ReleaseRequest.Requester.THIRD_PARTY,
            recipient=authorized.recipient,
            parts=[ReleasePart.SESSION_NOTES, ReleasePart.PLANS, ReleasePart.MEASURES],
            date_from=today - dt.timedelta(days=365),
            date_to=today,
            received_on=today - dt.timedelta(days=12),
        )
        made += 1
    other = (
        Client.objects.filter(clinic=clinic, status=Client.Status.DISCHARGED)
        .exclude(primary_therapist=None)
        .select_related("primary_therapist")
        .order_by("legal_last_name", "pk")
        .first()
    )
    if other is not None:
        release_request_log(
            client=other,
            by=other.primary_therapist,
            requester=ReleaseRequest.Requester.CLIENT,
            parts=list(ReleasePart.values),
            date_from=other.intake_date or today - dt.timedelta(days=365),
            date_to=today,
            received_on=today - dt.timedelta(days=33),
        )
        made += 1
    return made
