"""What a client has signed, and what is still missing (constant queries)."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q

from attachment_app.models import Clinic
from clients.models import (
    Appointment,
    Client,
    ClientConsent,
    ConsentKind,
    ConsentTemplate,
    TherapySession,
)
from clients.models.clients import PreferredModality

# Intake kinds a client signs once (the release authorization is per recipient).
INTAKE_KINDS = [ConsentKind.TREATMENT, ConsentKind.CONFIDENTIALITY, ConsentKind.TELEHEALTH]


def treatment_consent_signed() -> Exists:
    """For an annotation on a client list: a current consent to treatment is on file."""
    return Exists(
        ClientConsent.objects.filter(
            client=OuterRef("pk"), kind=ConsentKind.TREATMENT, revoked_at__isnull=True
        )
    )


def no_treatment_consent() -> Q:
    return ~Q(treatment_consent_signed())


def telehealth_consent_signed() -> Exists:
    return Exists(
        ClientConsent.objects.filter(
            client=OuterRef("pk"), kind=ConsentKind.TELEHEALTH, revoked_at__isnull=True
        )
    )


def uses_telehealth() -> Q:
    """Seen (or to be seen) by video: a video appointment not cancelled, a telehealth session,
    or telehealth marked as the client's way to meet."""
    video = Appointment.objects.filter(client=OuterRef("pk"), room__isnull=True).exclude(
        status__in=[Appointment.Status.CANCELLED_CLIENT, Appointment.Status.CANCELLED_CLINICIAN]
    )
    sessions = TherapySession.objects.filter(
        client=OuterRef("pk"), modality=TherapySession.Modality.TELEHEALTH
    )
    return (
        Q(preferred_modality=PreferredModality.TELEHEALTH) | Q(Exists(video)) | Q(Exists(sessions))
    )


def no_telehealth_consent() -> Q:
    """Uses telehealth with no current consent to telehealth on file."""
    return uses_telehealth() & ~Q(telehealth_consent_signed())


def telehealth_consent_missing() -> ExpressionWrapper:
    """For an annotation on a client list: the condition above, as a column."""
    return ExpressionWrapper(no_telehealth_consent(), output_field=BooleanField())


def current_templates(clinic: Clinic) -> dict[str, ConsentTemplate]:
    """The newest version of each kind of the clinic's documents, by kind."""
    # A handful of versions per kind: one plain query (no DISTINCT ON, so SQLite works too).
    rows = ConsentTemplate.objects.filter(clinic=clinic).order_by("kind", "-version")
    found: dict[str, ConsentTemplate] = {}
    for template in rows.defer("body"):
        found.setdefault(template.kind, template)
    return found


@dataclass
class IntakeLine:
    kind: str
    label: str
    template: ConsentTemplate | None
    signed: ClientConsent | None
    withdrawn: list[ClientConsent] = field(default_factory=list)

    @property
    def outdated(self) -> bool:
        """Signed, but the clinic has a newer version since."""
        return bool(self.signed and self.template and self.signed.template_id != self.template.pk)


@dataclass
class ClientConsents:
    intake: list[IntakeLine]
    releases: list[ClientConsent]
    history: list[ClientConsent]
    release_template: ConsentTemplate | None

    telehealth_used: bool = False

    @property
    def treatment_signed(self) -> bool:
        return any(line.signed for line in self.intake if line.kind == ConsentKind.TREATMENT)

    @property
    def telehealth_missing(self) -> bool:
        """Telehealth is used (or planned) and no consent to it is on file."""
        signed = any(line.signed for line in self.intake if line.kind == ConsentKind.TELEHEALTH)
        return self.telehealth_used and not signed


def client_consents(client: Client) -> ClientConsents:
    templates = current_templates(client.clinic)
    rows = list(
        ClientConsent.objects.filter(client=client)
        .select_related("template", "witnessed_by")
        .order_by("-signed_at")
    )
    intake = []
    for kind in INTAKE_KINDS:
        mine = [c for c in rows if c.kind == kind]
        signed = next((c for c in mine if c.revoked_at is None), None)
        intake.append(
            IntakeLine(
                kind=kind,
                label=ConsentKind(kind).label,
                template=templates.get(kind),
                signed=signed,
                withdrawn=[c for c in mine if c.revoked_at is not None],
            )
        )
    return ClientConsents(
        intake=intake,
        releases=[c for c in rows if c.kind == ConsentKind.RELEASE],
        history=rows,
        release_template=templates.get(ConsentKind.RELEASE),
        telehealth_used=Client.objects.filter(uses_telehealth(), pk=client.pk).exists(),
    )


def template_versions(template: ConsentTemplate) -> list[ConsentTemplate]:
    """Every version of this document, newest first, each with its `signature_count`."""
    versions = list(
        ConsentTemplate.objects.filter(clinic_id=template.clinic_id, kind=template.kind)
        .select_related("created_by")
        .order_by("-version")
    )
    counts = dict(
        ClientConsent.objects.filter(template__in=versions)
        .values_list("template_id")
        .annotate(n=Count("pk"))
    )
    for version in versions:
        version.signature_count = counts.get(version.pk, 0)
    return versions


__all__ = [
    "INTAKE_KINDS",
    "ClientConsents",
    "IntakeLine",
    "client_consents",
    "current_templates",
    "no_telehealth_consent",
    "no_treatment_consent",
    "telehealth_consent_missing",
    "template_versions",
    "treatment_consent_signed",
]
