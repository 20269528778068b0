import re

import pytest
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse

from attachment_app.models import User
from clients.models import Client
from tests.factories import ClientFactory


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


def test_the_admin_lists_the_clinics_therapists_with_their_load(as_dee, ana, ben, olivia):
    ClientFactory(primary_therapist=ana, status="active")
    ClientFactory(primary_therapist=ana, status="paused")
    response = as_dee.get(reverse("clients:therapist_list"))
    rows = {t.email: (t.n_active, t.n_paused) for t in response.context["therapists"]}
    assert rows == {ana.email: (1, 1), ben.email: (0, 0)}


def test_a_therapist_cannot_manage_accounts(as_ana, ben):
    assert as_ana.get(reverse("clients:therapist_list")).status_code == 403
    assert as_ana.get(reverse("clients:therapist_edit", args=[ben.pk])).status_code == 404


def invite(browser, email: str, name: str = "Cam New", **extra):
    data = {"full_name": name, "email": email, "caseload_capacity": 12, **extra}
    return browser.post(reverse("clients:therapist_new"), data, follow=True)


def link_in(message) -> str:
    match = re.search(r"https?://\S+/invitations/(\S+)/", message.body)
    assert match, message.body
    return reverse("clients:invitation_accept", args=[match.group(1)])


def test_a_new_therapist_accepts_the_invitation_and_chooses_their_password(
    as_dee, dee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_dee, "Cam@Test.Example")
    assert "An invitation was sent to cam@test.example" in response.content.decode()
    # No account until they accept.
    assert not User.objects.filter(email="cam@test.example").exists()
    (message,) = mail.outbox
    assert message.to == ["cam@test.example"]
    link = link_in(message)
    browser = Browser()
    assert browser.get(link).status_code == 200
    password = "a long and private phrase 42"
    response = browser.post(link, {"password1": password, "password2": password})
    assert response.status_code == 302
    cam = User.objects.get(email="cam@test.example")
    assert (cam.clinic, cam.is_therapist, cam.caseload_capacity) == (dee.clinic, True, 12)
    assert cam.check_password(password)
    # The link works once.
    assert browser.get(link).status_code == 404
    assert browser.post(link, {"password1": password, "password2": password}).status_code == 404


def test_a_weak_or_mistyped_password_is_refused_beside_the_field(
    as_dee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_dee, "cam@test.example")
    link = link_in(mail.outbox[0])
    response = Browser().post(link, {"password1": "password", "password2": "password"})
    assert response.status_code == 200 and response.context["form"].errors["password2"]
    response = Browser().post(link, {"password1": "x" * 20, "password2": "y" * 20})
    assert "not the same" in response.context["form"].errors["password2"][0]
    assert not User.objects.filter(email="cam@test.example").exists()


def answer_without_the_address(response, email: str) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "EMAIL")


def test_inviting_an_address_of_another_clinic_answers_as_for_a_new_one(
    as_dee, dee, olivia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = invite(as_dee, "nobody.yet@test.example", name="Same Name")
        existing = invite(as_dee, olivia.email.upper(), name="Same Name")
    assert new.status_code == existing.status_code == 200
    assert new.redirect_chain == existing.redirect_chain
    # The page after the second invitation lists both, alike.
    listed = answer_without_the_address(existing, olivia.email)
    assert listed.count("Same Name") == 2
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\" class=\"fw-normal\">Same Name.*?</tr>", listed, re.S
    )
    assert len(rows) == 2
    assert rows[0].replace("EMAIL", "nobody.yet@test.example") == rows[1].replace(
        "EMAIL", "nobody.yet@test.example"
    )
    assert (
        answer_without_the_address(new, "nobody.yet@test.example").count(
            "An invitation was sent to EMAIL"
        )
        == 1
    )
    assert listed.count("An invitation was sent to EMAIL") == 1
    # Olivia's account is untouched and not linked to Dee's clinic; nothing is created.
    olivia.refresh_from_db()
    assert olivia.clinic != dee.clinic
    assert User.objects.filter(email__iexact=olivia.email).count() == 1
    # She gets a neutral e-mail: no link, no clinic's name.
    to_olivia = [m for m in mail.outbox if m.to == [olivia.email]]
    (message,) = to_olivia
    assert "/invitations/" not in message.body
    assert dee.clinic.name not in message.body
    assert "already has an account" in message.body


def test_an_address_taken_after_the_invitation_cannot_accept_it(
    as_dee, olivia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_dee, "cam@test.example")
    link = link_in(mail.outbox[0])
    User.objects.create_user(email="cam@test.example", full_name="Cam", clinic=olivia.clinic)
    password = "a long and private phrase 42"
    response = Browser().post(link, {"password1": password, "password2": password})
    assert response.status_code == 404
    assert b"cannot be used" in response.content
    assert User.objects.get(email="cam@test.example").clinic == olivia.clinic


def test_an_existing_email_in_the_clinic_is_refused_beside_the_field(as_dee, ana):
    response = as_dee.post(
        reverse("clients:therapist_new"),
        {"full_name": "Twin", "email": ana.email.upper(), "caseload_capacity": 5},
    )
    assert response.status_code == 200
    assert "already has this email" in response.context["form"].errors["email"][0]
    assert 'value="Twin"' in response.content.decode()


def test_the_admin_sets_capacity(as_dee, ana):
    response = as_dee.post(
        reverse("clients:therapist_edit", args=[ana.pk]),
        {"full_name": ana.full_name, "credentials": "LCSW", "caseload_capacity": 8},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.caseload_capacity, ana.credentials) == (8, "LCSW")


def test_deactivating_unassigns_current_clients_but_keeps_discharged_ones(as_dee, ana):
    active = ClientFactory(primary_therapist=ana, status="active")
    discharged = ClientFactory(primary_therapist=ana, status="discharged")
    response = as_dee.post(
        reverse("clients:therapist_active", args=[ana.pk]), {"reason": "Left the clinic"}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    active.refresh_from_db()
    discharged.refresh_from_db()
    assert not ana.is_active
    assert active.primary_therapist is None
    assert discharged.primary_therapist == ana
    assert Client.objects.filter(primary_therapist__isnull=True, status="active").count() == 1
    as_dee.post(reverse("clients:therapist_active", args=[ana.pk]))
    ana.refresh_from_db()
    assert ana.is_active


def test_an_admin_cannot_deactivate_themselves(client, clinic):
    both = User.objects.create_user(
        email="both@test.example", clinic=clinic, is_therapist=True, is_clinic_admin=True
    )
    client.force_login(both)
    client.post(reverse("clients:therapist_active", args=[both.pk]))
    both.refresh_from_db()
    assert both.is_active
