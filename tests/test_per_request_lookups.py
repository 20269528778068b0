"""Lookups every request makes are made once: the user's clinic, a client's therapist."""

from django.contrib.auth import get_user
from django.test import RequestFactory

from clients.access import client_for_care, client_for_record


def test_the_signed_in_user_comes_with_their_clinic(client, ana, django_assert_num_queries):
    client.force_login(ana)
    request = RequestFactory().get("/")
    request.session = client.session
    user = get_user(request)
    assert user == ana
    with django_assert_num_queries(0):
        assert user.clinic == ana.clinic


def test_a_client_in_my_care_names_me_as_therapist_without_another_query(
    ana, client_record, django_assert_num_queries
):
    found = client_for_care(ana, client_record.pk)
    with django_assert_num_queries(0):
        assert found.primary_therapist == ana


def test_a_record_opened_by_the_admin_names_its_own_therapist(
    dee, ana, client_record, django_assert_num_queries
):
    found = client_for_record(dee, client_record.pk)
    with django_assert_num_queries(0):
        assert found.primary_therapist == ana
