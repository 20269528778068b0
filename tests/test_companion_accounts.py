"""The client's companion account: invited by the clinician, made by the client, kept inside.

Through the service layer and through the pages (django.test.Client); the browser journey
is in tests/e2e/test_companion.py.
"""

import datetime as dt
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent, User
from clients.models import ClientAccount, CompanionInvitation
from clients.models.companion import COMPANION_DOB_ATTEMPTS
from clients.services.companion import (
    CompanionInvitationUnusable,
    CompanionInviteRefused,
    companion_account_create,
    companion_invitation_check,
    companion_invite,
)
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "a long and unusual passphrase 42"
BIRTH = dt.date(1990, 5, 17)  # ClientFactory's date of birth


def token_of(link: str) -> str:
    return re.search(r"/companion/welcome/([^/]+)/", link).group(1)


def invite(ana, client_record, email="robin.client@example.test"):
    invitation, link = companion_invite(
        by=ana, client=client_record, email=email, site_url="http://testserver/"
    )
    return invitation, token_of(link)


@pytest.mark.django_db
def test_the_link_expires_after_72_hours_and_keeps_only_a_digest(ana, client_record):
    invitation, token = invite(ana, client_record)
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)
    assert token not in invitation.token_digest
    CompanionInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(CompanionInvitationUnusable):
        companion_invitation_check(token=token, date_of_birth=BIRTH)


@pytest.mark.django_db
def test_a_client_without_a_date_of_birth_cannot_be_invited(ana, client_record):
    client_record.date_of_birth = None
    client_record.save()
    with pytest.raises(CompanionInviteRefused):
        invite(ana, client_record)


@pytest.mark.django_db
def test_a_new_invitation_withdraws_the_open_one(ana, client_record):
    _, first = invite(ana, client_record)
    invite(ana, client_record)
    with pytest.raises(CompanionInvitationUnusable):
        companion_invitation_check(token=first, date_of_birth=BIRTH)


@pytest.mark.django_db
def test_wrong_dates_of_birth_close_the_link(ana, client_record):
    _, token = invite(ana, client_record)
    for _ in range(COMPANION_DOB_ATTEMPTS):
        assert companion_invitation_check(token=token, date_of_birth=dt.date(1991, 1, 1)) is False
    with pytest.raises(CompanionInvitationUnusable):
        companion_invitation_check(token=token, date_of_birth=BIRTH)


@pytest.mark.django_db
def test_the_account_is_a_client_of_one_clinic_with_no_staff_role_and_the_link_works_once(
    ana, client_record
):
    _, token = invite(ana, client_record)
    account = companion_account_create(token=token, password=NEW_PASSWORD)
    user = account.user
    assert account.client == client_record
    assert user.clinic_id == client_record.clinic_id
    assert not (user.is_therapist or user.is_clinic_admin or user.is_staff or user.is_superuser)
    assert user.check_password(NEW_PASSWORD)
    with pytest.raises(CompanionInvitationUnusable):
        companion_account_create(token=token, password=NEW_PASSWORD)
    with pytest.raises(CompanionInviteRefused):
        invite(ana, client_record, email="again@example.test")


@pytest.mark.django_db
def test_an_address_with_an_account_gets_no_link_and_the_link_cannot_make_one(
    ana, ben, client_record, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, token = invite(ana, client_record, email=ben.email)
    assert mail.outbox == []
    with pytest.raises(CompanionInvitationUnusable):
        companion_account_create(token=token, password=NEW_PASSWORD)


@pytest.mark.django_db
def test_the_clinician_invites_from_the_clients_page_and_the_client_signs_in(
    client, ana, client_record, django_capture_on_commit_callbacks
):
    client.force_login(ana)
    detail = client.get(reverse("clients:client_detail", args=[client_record.pk]))
    manage = reverse("exercises:companion_manage", args=[client_record.pk])
    assert manage in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("exercises:companion_invite", args=[client_record.pk]),
            {"email": "Robin.Client@example.test"},
        )
    assert answer.status_code == 200
    link = re.search(r'id="companion-link" href="([^"]+)"', answer.content.decode()).group(1)
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert mail.outbox[0].to == ["robin.client@example.test"]
    assert AuditEvent.objects.filter(
        client_id=client_record.pk, summary="Companion invitation sent"
    ).exists()
    # Shown once: the page itself never shows the link again.
    assert link not in client.get(manage).content.decode()
    client.logout()

    welcome = link.replace("http://testserver", "")
    first = client.get(welcome)
    assert first.status_code == 200 and 'type="date"' in first.content.decode()
    wrong = client.post(welcome, {"date_of_birth": "1980-01-01"})
    assert "This is not the date we have" in wrong.content.decode()
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert (failed.client_id, failed.clinic_id, failed.actor) == (
        client_record.pk,
        client_record.clinic_id,
        None,
    )
    assert failed.summary == "Companion invitation: date of birth did not match"
    assert client.post(welcome, {"date_of_birth": "1990-05-17"}).status_code == 302
    mismatch = client.post(welcome, {"password1": NEW_PASSWORD, "password2": "other"})
    assert "not the same" in mismatch.content.decode()
    done = client.post(welcome, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("account_login")
    assert client.get(welcome).status_code == 404  # used

    user = User.objects.get(email="robin.client@example.test")
    assert ClientAccount.objects.get(user=user).client == client_record
    assert AuditEvent.objects.filter(
        actor=user,
        action=AuditEvent.Action.CREATE,
        client_id=client_record.pk,
        object_type="ClientAccount",
        summary="Companion account created from an invitation",
    ).exists()
    signed_in = client.post(
        reverse("account_login"),
        {"login": "robin.client@example.test", "password": NEW_PASSWORD},
    )
    assert signed_in.status_code == 302
    landing = client.get(signed_in["Location"], follow=True)
    assert landing.redirect_chain[-1][0] == reverse("companion:home")
    assert "Hello Robin" in landing.content.decode()


@pytest.mark.django_db
def test_the_date_of_birth_must_come_before_the_password(ana, client_record, client):
    _, token = invite(ana, client_record)
    welcome = reverse("companion:welcome", args=[token])
    client.post(welcome, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not ClientAccount.objects.exists()


@pytest.mark.django_db
def test_every_companion_page_carries_the_crisis_line_and_says_it_is_not_monitored(
    client, robin, client_record
):
    client_record.clinic.crisis_line = "Call the Demo Crisis Line on 0800 000 000, any time"
    client_record.clinic.save()
    client.force_login(robin)
    for name in ("companion:home", "companion:account"):
        page = client.get(reverse(name)).content.decode()
        assert "Demo Crisis Line" in page
        assert "not monitored in real time" in page


@pytest.mark.django_db
def test_account_pages_and_not_found_use_the_companion_layout_for_a_client_only(
    client, robin, ana, client_record
):
    client_record.clinic.crisis_line = "Call the Demo Crisis Line on 0800 000 000, any time"
    client_record.clinic.save()
    client.force_login(robin)
    pages = [
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("usersessions_list"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'class="companion"' in page and "Demo Crisis Line" in page, url
        assert "not monitored in real time" in page, url
        assert reverse("companion:home") in page and reverse("clients:caseload") not in page
    missing = client.get(reverse("clients:caseload"))
    assert missing.status_code == 404
    page = missing.content.decode()
    assert 'class="companion"' in page and "Demo Crisis Line" in page
    assert "Back to your companion" in page
    client.force_login(ana)
    for url in [*pages, "/no-such-page/"]:
        page = client.get(url).content.decode()
        assert 'class="companion"' not in page and "Demo Crisis Line" not in page, url


@pytest.mark.django_db
def test_pausing_the_account_signs_the_client_out(client, robin, ana, client_record):
    client.force_login(robin)
    assert client.get(reverse("companion:home")).status_code == 200
    staff = type(client)()
    staff.force_login(ana)
    staff.post(reverse("exercises:companion_access", args=[client_record.pk]), {"active": "0"})
    robin.refresh_from_db()
    assert not robin.is_active
    assert client.get(reverse("companion:home")).status_code == 302
    again = client.post(reverse("account_login"), {"login": robin.email, "password": TEST_PASSWORD})
    assert again.status_code != 302 or "inactive" in again["Location"]


@pytest.mark.django_db
def test_where_the_clinic_requires_mfa_the_client_sets_up_a_second_factor_first(
    client, robin, client_record
):
    client_record.clinic.mfa_required = True
    client_record.clinic.save()
    client.force_login(robin)
    response = client.get(reverse("companion:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Setting it up asks for the password again (force_login is no fresh sign-in): the
    # account pages are open to the client, not a 404.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(setup["Location"]).status_code == 200
