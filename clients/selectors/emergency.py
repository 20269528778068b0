"""Emergency access: the clinic admins' list of grants."""

from django.db.models import QuerySet

from clients.models import EmergencyAccessGrant


def grants_of_clinic(clinic_id: int) -> QuerySet[EmergencyAccessGrant]:
    """Every grant in the clinic, newest first, for its admins to review."""
    return EmergencyAccessGrant.objects.filter(client__clinic_id=clinic_id).select_related(
        "client", "user"
    )
