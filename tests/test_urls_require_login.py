"""Anonymous visitors reach nothing but sign-in and the health check."""

import re

import pytest
from django.urls import reverse

from tests.urlwalk import all_routes, placeholder_values

# Route names (or route prefixes) that are public by design.
PUBLIC = {
    "healthz",
    "account_login",
    "account_logout",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "account_request_login_code",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_verify_email",
    "account_change_password",  # allauth redirects to login itself
    "account_set_password",
    "account_email",
    "account_reauthenticate",
    "account_login_by_code",
    "clients:invitation_accept",  # the invitee's single-use link, before any account exists
    "companion:welcome",  # the client's single-use link, before their account exists
    "clients:calendar_feed",  # a calendar app's subscription: the secret token is the key
}
PUBLIC_PREFIXES = ("django-admin/",)  # the admin site has its own staff sign-in

ROUTES = [
    r for r in all_routes() if r.name not in PUBLIC and not r.route.startswith(PUBLIC_PREFIXES)
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_sign_in(client, route, method):
    url = route.fill(placeholder_values(route))
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{url} answered {response.status_code}"
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_walk_finds_the_client_record(client):
    assert any(re.search(r"clients/<uuid:client_id>/$", r.route) for r in ROUTES)


@pytest.mark.django_db
def test_health_check_needs_no_sign_in(client):
    assert client.get("/healthz").status_code in {200, 503}


@pytest.mark.django_db
def test_sign_in_page_is_public(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert b"Sign In" in response.content or b"Sign in" in response.content
