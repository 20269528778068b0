from clients.models.clients import AttachmentStyle, Client, ClientAssignment, ClientStatusChange
from clients.models.exports import ExportJob
from clients.models.plans import PlanRevision, TreatmentPlan
from clients.models.sessions import TherapySession

__all__ = [
    "AttachmentStyle",
    "Client",
    "ClientAssignment",
    "ClientStatusChange",
    "ExportJob",
    "PlanRevision",
    "TherapySession",
    "TreatmentPlan",
]
