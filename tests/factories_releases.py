import datetime as dt

from django.utils import timezone

from clients.models import ReleasePart, ReleaseRequest


def release_request(client, **kwargs) -> ReleaseRequest:
    """An open request from the client for every part, over all dates, received today."""
    received = kwargs.pop("received_on", timezone.localdate())
    values = {
        "requester": ReleaseRequest.Requester.CLIENT,
        "parts": list(ReleasePart.values),
        "date_from": dt.date(2000, 1, 1),
        "date_to": timezone.localdate(),
        "received_on": received,
        "due_on": ReleaseRequest.due_for(received),
        "logged_by": client.primary_therapist,
        **kwargs,
    }
    return ReleaseRequest.objects.create(client=client, **values)
