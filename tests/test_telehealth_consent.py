"""A client seen by video (a video appointment, a telehealth session, or telehealth marked as
their way to meet) with no signed consent to telehealth is flagged, like a missing consent
to treatment: on the therapist's home, the clinic's caseload and the client's page."""

import pytest
from django.test import Client as Browser
from django.urls import reverse

from clients.models import Appointment, Client, ConsentKind
from clients.selectors.caseload import attention_for, with_dates
from clients.services.consents import consent_revoke
from tests.factories import ClientFactory
from tests.factories_appointments import AppointmentFactory, RoomFactory
from tests.factories_consents import signed_consent
from tests.factories_sessions import signed_session

pytestmark = pytest.mark.django_db

NEED = "no_telehealth_consent"


def flagged_on_home(browser) -> int:
    return browser.get(reverse("clients:home")).context["counts"][NEED]


def test_a_client_with_a_video_appointment_and_no_telehealth_consent_is_flagged(
    as_ana, ana, dee, client_record
):
    assert flagged_on_home(as_ana) == 0
    AppointmentFactory(client=client_record)  # no room: by video
    home = as_ana.get(reverse("clients:home"))
    assert home.context["counts"][NEED] == 1
    html = home.content.decode()
    assert "No signed consent to telehealth (1)" in html and "No telehealth consent" in html
    admin = Browser()
    admin.force_login(dee)
    caseload = admin.get(reverse("clients:caseload") + f"?needs={NEED}")
    assert [c.pk for c in caseload.context["page"].object_list] == [client_record.pk]
    assert "No telehealth consent" in caseload.content.decode()
    panels = {p.name: p.count for p in admin.get(reverse("clients:caseload")).context["panels"]}
    assert panels[NEED] == 1
    page = as_ana.get(client_record.get_absolute_url()).content.decode()
    assert "Seen by video, with no signed consent to telehealth." in page

    consent = signed_consent(client_record, ConsentKind.TELEHEALTH)
    assert flagged_on_home(as_ana) == 0
    assert list(admin.get(reverse("clients:caseload") + f"?needs={NEED}").context["page"]) == []
    page = as_ana.get(client_record.get_absolute_url()).content.decode()
    assert "no signed consent to telehealth" not in page
    consent_revoke(consent=consent, by=ana)  # withdrawn: flagged again
    assert flagged_on_home(as_ana) == 1


def test_consent_to_treatment_alone_does_not_clear_the_telehealth_flag(as_ana, client_record):
    signed_consent(client_record)
    AppointmentFactory(client=client_record)
    assert flagged_on_home(as_ana) == 1


def test_in_room_and_cancelled_video_appointments_are_not_telehealth(as_ana, client_record):
    AppointmentFactory(client=client_record, room=RoomFactory(clinic=client_record.clinic))
    AppointmentFactory(client=client_record, status=Appointment.Status.CANCELLED_CLINICIAN)
    assert flagged_on_home(as_ana) == 0


def test_a_telehealth_session_or_telehealth_marked_is_flagged(as_ana, ana, client_record):
    signed_session(client_record, modality="telehealth")
    ClientFactory(primary_therapist=ana, preferred_modality="telehealth")
    assert flagged_on_home(as_ana) == 2


def test_a_discharged_or_waitlisted_client_is_not_flagged(as_ana, ana, client_record):
    AppointmentFactory(client=client_record)
    client_record.status = Client.Status.DISCHARGED
    client_record.save()
    ClientFactory(
        primary_therapist=ana, status=Client.Status.WAITLIST, preferred_modality="telehealth"
    )
    assert flagged_on_home(as_ana) == 0


def test_the_python_and_sql_forms_of_the_telehealth_flag_agree(ana, dee):
    """Every kind: video, in room, cancelled, session, marked, consented, discharged."""
    room = RoomFactory(clinic=ana.clinic)
    kinds = [ClientFactory(primary_therapist=ana) for _ in range(7)]
    AppointmentFactory(client=kinds[0])
    AppointmentFactory(client=kinds[1], room=room)
    AppointmentFactory(client=kinds[2], status=Appointment.Status.CANCELLED_CLIENT)
    signed_session(kinds[3], modality="telehealth")
    Client.objects.filter(pk=kinds[4].pk).update(preferred_modality="telehealth")
    AppointmentFactory(client=kinds[5])
    signed_consent(kinds[5], ConsentKind.TELEHEALTH)
    AppointmentFactory(client=kinds[6])
    Client.objects.filter(pk=kinds[6].pk).update(status=Client.Status.DISCHARGED)
    attention = attention_for(dee)
    everyone = Client.objects.all()
    by_sql = set(everyone.filter(attention.condition(NEED)).values_list("pk", flat=True))
    by_python = {c.pk for c in with_dates(everyone) if attention.matches(c, NEED)}
    assert by_sql == by_python == {kinds[0].pk, kinds[3].pk, kinds[4].pk}
