"""Health checks answer without a session and leak no detail."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_liveness_answers_ok(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readiness_is_200_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("health_ready"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_is_503_without_detail_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("health_ready"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_readiness_is_503_when_the_database_fails(client, monkeypatch):
    from accounts import health

    def broken(*args, **kwargs):
        raise RuntimeError("password authentication failed for user secret_db_user")

    monkeypatch.setattr(health.connection, "cursor", broken)
    response = client.get(reverse("health_ready"))
    assert response.status_code == 503
    assert b"secret_db_user" not in response.content


def test_health_checks_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("health_ready")).status_code in (200, 503)
    assert client.get(reverse("health_workers")).status_code in (200, 503)


def test_workers_check_is_200_when_tasks_run_in_process(client):
    response = client.get(reverse("health_workers"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_workers_check_is_503_without_a_worker_and_200_once_one_runs(client, workers):
    response = client.get(reverse("health_workers"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    workers()
    response = client.get(reverse("health_workers"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
