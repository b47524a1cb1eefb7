import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_reports_the_database_and_broker(client, settings):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    expected_broker = "ok" if settings.REDIS_URL else "not configured (tasks run in-process)"
    assert body["broker"] == expected_broker


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["broker"].startswith("error")


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_pings_the_real_broker(client, redis_url):
    assert client.get("/healthz").json()["broker"] == "ok"
