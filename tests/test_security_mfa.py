"""MFA: where a clinic requires it, a password alone reaches no client data."""

import re
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from attachment_app.adapters import MFAAdapter
from attachment_app.models import Clinic
from tests.factories import TEST_PASSWORD
from tests.test_settings import ROOT, production_env

COUNTER = 60_000_000  # one fixed TOTP time step, so two uses of a code fall in the same one


@pytest.fixture
def mfa_clinic(clinic):
    clinic.mfa_required = True
    clinic.save()
    return clinic


@pytest.fixture
def ana_totp(ana):
    secret = totp_auth.generate_totp_secret()
    totp_auth.TOTP.activate(ana, secret)
    return secret


@pytest.fixture
def frozen_totp_clock(monkeypatch):
    monkeypatch.setattr(totp_auth, "yield_hotp_counters_from_time", lambda: iter([COUNTER]))


def code_for(secret: str) -> str:
    return totp_auth.format_hotp_value(totp_auth.hotp_value(secret, COUNTER))


def sign_in(client, email="ana@test.example", password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def client_url(client_record) -> str:
    return reverse("clients:client_detail", args=[client_record.pk])


def test_a_password_alone_reaches_no_client_data_without_an_authenticator(
    client, mfa_clinic, client_record
):
    sign_in(client)
    for url in (client_url(client_record), reverse("clients:home")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
        assert b"Robin" not in response.content
    # Setting up the app asks for the password once more, then shows the QR code.
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_setting_up_the_authenticator_opens_the_records(
    client, mfa_clinic, client_record, frozen_totp_clock
):
    sign_in(client)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = client.session[totp_auth.SECRET_SESSION_KEY]
    assert page.status_code == 200
    client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()
    assert client.get(client_url(client_record)).status_code == 200


def test_with_an_authenticator_sign_in_asks_for_the_code(
    client, mfa_clinic, client_record, ana_totp, frozen_totp_clock
):
    response = sign_in(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(client_url(client_record)).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": code_for(ana_totp)})
    assert response.status_code == 302
    assert client.get(client_url(client_record)).status_code == 200


def test_a_totp_code_cannot_be_used_twice(
    client, mfa_clinic, client_record, ana_totp, frozen_totp_clock, django_user_model
):
    from django.test import Client

    code = code_for(ana_totp)
    sign_in(client)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get(client_url(client_record)).status_code == 200

    attacker = Client()
    sign_in(attacker)
    response = attacker.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200  # the form again, with an error
    assert attacker.get(client_url(client_record)).status_code == 302


def test_a_session_that_skipped_the_second_factor_is_ended(
    client, ana, mfa_clinic, client_record, ana_totp
):
    client.force_login(ana)  # as any path around allauth's login flow would
    response = client.get(client_url(client_record))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_password_reset_does_not_bypass_the_second_factor(
    client, mfa_clinic, client_record, ana_totp, frozen_totp_clock
):
    client.post(reverse("account_reset_password"), {"email": "ana@test.example"})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    response = client.get(link.group(1), follow=True)
    new_password = "a brand new long passphrase 42"
    response = client.post(
        response.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert client.get(client_url(client_record)).status_code == 302  # reset signs nobody in
    response = sign_in(client, password=new_password)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(client_url(client_record)).status_code == 302


def test_the_authenticator_cannot_be_removed_where_the_clinic_requires_it(
    ana, mfa_clinic, ana_totp
):
    authenticator = Authenticator.objects.get(user=ana, type=Authenticator.Type.TOTP)
    assert MFAAdapter().can_delete_authenticator(authenticator) is False


def test_the_authenticator_secret_is_stored_encrypted(ana, ana_totp):
    stored = Authenticator.objects.get(user=ana, type=Authenticator.Type.TOTP).data["secret"]
    assert ana_totp not in stored
    assert stored.startswith("fernet:")


def test_a_clinic_without_the_requirement_signs_in_with_a_password(client, clinic, client_record):
    sign_in(client)
    assert client.get(client_url(client_record)).status_code == 200


@pytest.mark.django_db
def test_new_clinics_require_mfa_when_the_setting_says_so():
    with override_settings(MFA_REQUIRED_BY_DEFAULT=True):
        assert Clinic.objects.create(name="Strict").mfa_required is True
    with override_settings(MFA_REQUIRED_BY_DEFAULT=False):
        assert Clinic.objects.create(name="Demo-like").mfa_required is False


def test_production_requires_mfa_by_default():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import attachment_app.settings.production as p;"
            "print(p.MFA_REQUIRED_BY_DEFAULT, p.MFA_REQUIRED_FOR_STAFF)",
        ],
        cwd=ROOT,
        env=production_env(SECRET_KEY="x" * 50),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True True", result.stderr


@override_settings(MFA_REQUIRED_FOR_STAFF=True)
def test_staff_need_a_second_factor_for_the_admin_whatever_their_clinic_says(client, ana):
    ana.is_staff = True
    ana.save()
    sign_in(client)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_admin_signs_in_through_allauth(client, db):
    response = client.get("/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
