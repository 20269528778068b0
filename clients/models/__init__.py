from clients.models.access import EmergencyAccessGrant
from clients.models.clients import AttachmentStyle, Client, ClientAssignment, ClientStatusChange
from clients.models.plans import PlanRevision, TreatmentPlan
from clients.models.sessions import TherapySession

__all__ = [
    "AttachmentStyle",
    "Client",
    "ClientAssignment",
    "ClientStatusChange",
    "EmergencyAccessGrant",
    "PlanRevision",
    "TherapySession",
    "TreatmentPlan",
]
