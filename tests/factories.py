import datetime as dt

import factory
from factory.django import DjangoModelFactory

from attachment_app.models import Clinic, User
from clients.models import Client

TEST_PASSWORD = "correct horse battery staple"


class ClinicFactory(DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Clinic {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    clinic = factory.SubFactory(ClinicFactory)
    is_therapist = True
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    clinic = factory.SelfAttribute("primary_therapist.clinic")
    primary_therapist = factory.SubFactory(UserFactory)
    legal_first_name = factory.Sequence(lambda n: f"Robin{n}")
    legal_last_name = "Fictional"
    date_of_birth = dt.date(1990, 5, 17)
    status = Client.Status.ACTIVE


def companion_account_for(client, email: str | None = None):
    """A client account (no staff role) for the client's companion; returns the user."""
    from clients.models import ClientAccount

    user = UserFactory(
        email=email or f"client-{client.pk.hex[:8]}@example.test",
        full_name=client.legal_first_name,
        clinic=client.clinic,
        is_therapist=False,
    )
    ClientAccount.objects.create(client=client, user=user)
    return user
