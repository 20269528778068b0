"""Sessions: a new key at sign-in, idle timeout per clinic, absolute lifetime, ending them all."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from attachment_app.middleware import LAST_ACTIVE, LOGIN_AT
from attachment_app.models import AuditEvent
from tests.factories import TEST_PASSWORD


def sign_in(client, email="ana@test.example"):
    return client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})


def set_session(client, **values) -> None:
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sessions_of(user) -> int:
    return sum(
        1
        for s in Session.objects.all()
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    )


def test_signing_in_gives_a_new_session_key(client, ana):
    session = client.session
    session["before"] = "sign-in"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    sign_in(client)
    assert signed_in(client)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_an_idle_session_is_ended_by_the_server(as_ana):
    set_session(as_ana, **{LAST_ACTIVE: time.time() - 15 * 60 - 1})
    response = as_ana.get(reverse("clients:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not signed_in(as_ana)


def test_a_session_used_within_the_timeout_stays(as_ana):
    set_session(as_ana, **{LAST_ACTIVE: time.time() - 14 * 60})
    assert as_ana.get(reverse("clients:home")).status_code == 200
    assert time.time() - as_ana.session[LAST_ACTIVE] < 5  # the visit counts as activity


def test_the_idle_timeout_is_the_clinics_setting(as_ana, clinic):
    clinic.idle_timeout_minutes = 30
    clinic.save()
    set_session(as_ana, **{LAST_ACTIVE: time.time() - 20 * 60})
    assert as_ana.get(reverse("clients:home")).status_code == 200
    clinic.idle_timeout_minutes = 5
    clinic.save()
    set_session(as_ana, **{LAST_ACTIVE: time.time() - 6 * 60})
    assert as_ana.get(reverse("clients:home")).status_code == 302


def test_background_polls_and_status_checks_do_not_count_as_activity(as_ana):
    stale = time.time() - 10 * 60
    set_session(as_ana, **{LAST_ACTIVE: stale})
    as_ana.get(reverse("clients:home"), HTTP_HX_REQUEST="true")
    response = as_ana.get(reverse("session_status"))
    assert 4 * 60 < response.json()["seconds_left"] <= 5 * 60
    assert as_ana.session[LAST_ACTIVE] == stale


def test_keep_me_signed_in_restarts_the_idle_clock(as_ana):
    set_session(as_ana, **{LAST_ACTIVE: time.time() - 14 * 60 - 30})
    response = as_ana.post(reverse("session_keepalive"))
    assert response.status_code == 200
    assert as_ana.get(reverse("session_status")).json()["seconds_left"] > 14 * 60


def test_an_htmx_request_after_the_timeout_is_told_to_sign_in_again(as_ana):
    set_session(as_ana, **{LAST_ACTIVE: time.time() - 16 * 60})
    response = as_ana.post(reverse("session_keepalive"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("account_login")


def test_a_sign_in_ends_after_its_absolute_lifetime_even_when_active(as_ana):
    set_session(
        as_ana,
        **{LOGIN_AT: time.time() - settings.SESSION_COOKIE_AGE - 1, LAST_ACTIVE: time.time()},
    )
    response = as_ana.get(reverse("clients:home"))
    assert response.status_code == 302
    assert not signed_in(as_ana)


def test_the_absolute_lifetime_is_at_most_twelve_hours():
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_signed_in_pages_carry_the_idle_warning_without_inline_script(as_ana, clinic):
    clinic.idle_timeout_minutes = 20
    clinic.save()
    html = as_ana.get(reverse("clients:home")).content.decode()
    assert 'data-idle-timeout-minutes="20"' in html
    assert f'data-keepalive-url="{reverse("session_keepalive")}"' in html
    assert "js/idle_timeout.js" in html
    assert 'id="idle-dialog"' in html
    assert "<script>" not in html


def test_the_sign_in_page_has_no_idle_warning(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "idle_timeout.js" not in html


def test_signing_out_ends_only_that_browsers_session(client, ana):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    sign_in(phone)
    assert sessions_of(ana) == 2
    laptop.post(reverse("account_logout"))
    assert sessions_of(ana) == 1
    assert laptop.get(reverse("clients:home")).status_code == 302
    assert phone.get(reverse("clients:home")).status_code == 200


def test_an_idle_browser_is_signed_out_and_the_persons_other_browser_stays_signed_in(ana):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    sign_in(phone)
    set_session(laptop, **{LAST_ACTIVE: time.time() - 15 * 60 - 1})
    response = laptop.get(reverse("clients:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not signed_in(laptop)
    assert sessions_of(ana) == 1
    assert phone.get(reverse("clients:home")).status_code == 200


def test_the_sessions_page_lists_each_browser_and_offers_sign_out_everywhere(ana):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    sign_in(phone)
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<tr>") == 3  # the heading and two browsers
    assert f'action="{reverse("session_sign_out_everywhere")}"' in html


def test_sign_out_everywhere_ends_every_session_of_that_person_and_is_audited(ana, ben):
    laptop, phone, colleague = Client(), Client(), Client()
    sign_in(laptop)
    sign_in(phone)
    colleague.force_login(ben)
    response = laptop.post(reverse("session_sign_out_everywhere"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert sessions_of(ana) == 0
    assert laptop.get(reverse("clients:home")).status_code == 302
    assert phone.get(reverse("clients:home")).status_code == 302
    assert colleague.get(reverse("clients:home")).status_code == 200
    assert AuditEvent.objects.filter(
        actor=ana, action=AuditEvent.Action.LOGOUT, summary="Signed out everywhere (2)"
    ).exists()
    assert b"signed out on every device" in laptop.get(reverse("account_login")).content


def test_sign_out_everywhere_is_a_post_only(as_ana, ana):
    assert as_ana.get(reverse("session_sign_out_everywhere")).status_code == 405
    assert signed_in(as_ana)


def test_signing_out_leaves_colleagues_signed_in(ana, ben):
    ana_client, ben_client = Client(), Client()
    ana_client.force_login(ana)
    ben_client.force_login(ben)
    ana_client.post(reverse("account_logout"))
    assert ben_client.get(reverse("clients:home")).status_code == 200


def test_deactivating_a_person_ends_all_their_sessions(ana):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    phone.force_login(ana)
    ana.is_active = False
    ana.save()
    assert sessions_of(ana) == 0
    assert laptop.get(reverse("clients:home")).status_code == 302
    assert phone.get(reverse("clients:home")).status_code == 302


@pytest.mark.django_db
def test_session_cookies_are_http_only_and_same_site():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE in {"Lax", "Strict"}


def test_the_sign_in_page_says_why_after_a_timeout(as_ana):
    set_session(as_ana, **{LAST_ACTIVE: time.time() - 16 * 60})
    response = as_ana.get(reverse("session_status"), HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    page = as_ana.get(reverse("account_login"))
    assert b"signed out after a period of inactivity" in page.content


def test_status_counts_down_to_zero_only_when_the_time_is_really_up(as_ana):
    set_session(as_ana, **{LAST_ACTIVE: time.time() - 15 * 60 + 0.5})
    assert as_ana.get(reverse("session_status")).json()["seconds_left"] == 1


def test_the_session_policy_costs_no_query_on_an_ordinary_page(as_ana, django_assert_num_queries):
    as_ana.get(reverse("ping"))  # first visit may record the clock
    with django_assert_num_queries(2):  # the session, the user with their clinic
        as_ana.get(reverse("ping"))
