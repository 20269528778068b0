import pytest
from django.test import override_settings

from attachment_app import services


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_it_reports_tasks_in_process_as_disabled(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "disabled"}


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_down(client, monkeypatch):
    monkeypatch.setattr(services, "broker_state", lambda: "down")
    monkeypatch.setattr("attachment_app.views.broker_state", lambda: "down")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_it_answers_503_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr("attachment_app.views.database_state", lambda: "down")
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_it_reaches_the_real_broker_when_one_is_configured(client, settings):
    from tests.conftest import need

    need(bool(settings.CELERY_BROKER_URL), "set CELERY_BROKER_URL to a Redis database")
    body = client.get("/healthz").json()
    assert body["broker"] == "ok"


@pytest.mark.django_db
def test_it_rejects_post(client):
    assert client.post("/healthz").status_code == 405
