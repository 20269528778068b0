from clients.models.access import EmergencyAccessGrant
from clients.models.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentReminder,
    AppointmentSeries,
    CalendarFeed,
    Frequency,
    Room,
    UnsignedNotesDigest,
)
from clients.models.clients import AttachmentStyle, Client, ClientAssignment, ClientStatusChange
from clients.models.companion import ClientAccount, CompanionInvitation
from clients.models.consents import ClientConsent, ConsentKind, ConsentTemplate
from clients.models.discharge import ClientReopening, DischargeReason, DischargeSummary
from clients.models.drafts import DeletedDraft
from clients.models.exports import ExportJob
from clients.models.invitations import TherapistInvitation
from clients.models.locking import SignedRecordLocked
from clients.models.plans import (
    PlanGoal,
    PlanIntervention,
    PlanObjective,
    PlanRevision,
    TreatmentPlan,
)
from clients.models.releases import (
    RELEASE_DAYS,
    Disclosure,
    ReleasePart,
    ReleaseRequest,
)
from clients.models.retention import LegalHold, RecordDestruction
from clients.models.sessions import (
    NoteFormat,
    ProcessNote,
    RiskLevel,
    SessionAddendum,
    Technique,
    TherapySession,
)
from clients.models.supervision import SessionReview, Supervision

__all__ = [
    "Appointment",
    "AppointmentKind",
    "AppointmentReminder",
    "AppointmentSeries",
    "AttachmentStyle",
    "CalendarFeed",
    "Client",
    "ClientAccount",
    "ClientAssignment",
    "ClientConsent",
    "ClientStatusChange",
    "ClientReopening",
    "ConsentKind",
    "DeletedDraft",
    "DischargeReason",
    "Disclosure",
    "DischargeSummary",
    "ConsentTemplate",
    "CompanionInvitation",
    "EmergencyAccessGrant",
    "ExportJob",
    "LegalHold",
    "Frequency",
    "NoteFormat",
    "PlanGoal",
    "PlanIntervention",
    "PlanObjective",
    "PlanRevision",
    "ProcessNote",
    "RecordDestruction",
    "RELEASE_DAYS",
    "ReleasePart",
    "ReleaseRequest",
    "RiskLevel",
    "Room",
    "SessionAddendum",
    "SessionReview",
    "Supervision",
    "SignedRecordLocked",
    "Technique",
    "TherapistInvitation",
    "TherapySession",
    "TreatmentPlan",
    "UnsignedNotesDigest",
]
