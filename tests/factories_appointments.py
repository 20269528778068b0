import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clients.models import Appointment, Room


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room
        django_get_or_create = ["clinic", "name"]

    name = factory.Sequence(lambda n: f"Room {n + 1}")


class AppointmentFactory(DjangoModelFactory):
    """An appointment with the client's therapist, by video, from tomorrow 10:00 UTC on."""

    class Meta:
        model = Appointment

    clinician = factory.SelfAttribute("client.primary_therapist")
    created_by = factory.SelfAttribute("clinician")
    # An hour apart each, so factory-made appointments never clash with one another.
    starts_at = factory.Sequence(
        lambda n: (
            (timezone.now() + dt.timedelta(days=1)).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            + dt.timedelta(hours=n)
        )
    )
    length_minutes = 50
