from django.utils import timezone

from clients.models import DischargeSummary


def discharge_summary(client, **kwargs) -> DischargeSummary:
    """A draft closing summary of the client (the client's status is left as it is)."""
    values = {
        "reason": "goals_met",
        "discharge_date": timezone.localdate(),
        "discharged_by": client.primary_therapist,
        **kwargs,
    }
    return DischargeSummary.objects.create(client=client, **values)
