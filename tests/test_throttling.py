"""The API's throttles: per address for anonymous clients, per user for signed-in ones."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from policytracker.settings import env_rate
from policytracker.throttling import client_address


@pytest.fixture
def throttle_rates(settings):
    """`throttle_rates(anon=…, user=…)` turns the throttles on at those rates (the suite's
    conftest turns them off for every other test)."""

    def set_rates(anon=None, user=None):
        settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}
        }

    return set_rates


def client_from(address):
    return APIClient(REMOTE_ADDR=address)


@pytest.mark.django_db
def test_anonymous_client_past_its_rate_gets_429_naming_the_limit(throttle_rates):
    throttle_rates(anon="3/minute")
    client = client_from("198.51.100.7")
    url = reverse("api:jurisdiction-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]

    response = client.get(url)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["limit"] == {"requests": 3, "per_seconds": 60, "applies_to": "address"}
    assert 1 <= body["retry_after"] <= 60
    assert response["Retry-After"] == str(body["retry_after"])
    assert body["detail"] == (
        "Too many requests: the limit is 3 requests a minute from one address without "
        f"signing in. Try again in {body['retry_after']} s."
    )


@pytest.mark.django_db
def test_anonymous_throttle_counts_each_address_apart(throttle_rates):
    throttle_rates(anon="2/minute")
    url = reverse("api:agreement-list")
    first, second = client_from("198.51.100.7"), client_from("203.0.113.9")
    assert [first.get(url).status_code for _ in range(3)] == [200, 200, 429]

    assert second.get(url).status_code == 200


@pytest.mark.django_db
def test_anonymous_throttle_covers_every_endpoint_together(throttle_rates):
    """The count is the client's, not the endpoint's: hopping between them gains nothing."""
    throttle_rates(anon="2/minute")
    client = client_from("198.51.100.7")
    assert client.get(reverse("api:jurisdiction-list")).status_code == 200
    assert client.get(reverse("api:search-list"), {"q": "police"}).status_code == 200

    assert client.get(reverse("api:statement-list")).status_code == 429


@pytest.mark.django_db
def test_user_rate_applies_to_signed_in_users_not_the_anonymous_rate(
    throttle_rates, staff_api_client, staff_user
):
    throttle_rates(anon="1/minute", user="2/minute")
    url = reverse("api:jurisdiction-list")
    assert [staff_api_client.get(url).status_code for _ in range(2)] == [200, 200]

    response = staff_api_client.get(url)

    assert response.status_code == 429
    assert response.json()["limit"] == {"requests": 2, "per_seconds": 60, "applies_to": "user"}
    assert "2 requests a minute for one user" in response.json()["detail"]


@pytest.mark.django_db
def test_anonymous_clients_are_counted_by_the_anonymous_rate_alone(throttle_rates):
    """With the anonymous rate off, the signed-in users' rate does not limit them instead."""
    throttle_rates(anon=None, user="2/minute")
    client = client_from("198.51.100.7")
    url = reverse("api:agreement-list")

    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 200]


@pytest.mark.django_db
def test_throttle_off_lets_every_request_through(throttle_rates):
    throttle_rates(anon=None, user=None)
    client = client_from("198.51.100.7")
    url = reverse("api:jurisdiction-list")

    assert {client.get(url).status_code for _ in range(30)} == {200}


@pytest.mark.parametrize(
    ("value", "rate"),
    [("off", None), ("OFF", None), ("", None), ("none", None), ("30/second", "30/second")],
)
def test_env_rate_reads_off_as_no_limit(monkeypatch, value, rate):
    monkeypatch.setenv("API_ANON_RATE", value)
    assert env_rate("API_ANON_RATE", "120/minute") == rate


def test_env_rate_unset_is_the_default(monkeypatch):
    monkeypatch.delenv("API_ANON_RATE", raising=False)
    assert env_rate("API_ANON_RATE", "120/minute") == "120/minute"


@pytest.mark.django_db
def test_behind_a_tls_proxy_the_forwarded_address_is_counted(throttle_rates, settings):
    """Behind the proxy every request comes from the proxy's address: the client's own is
    the last one in X-Forwarded-For, and each client is counted apart."""
    settings.BEHIND_TLS_PROXY = True
    throttle_rates(anon="1/minute")
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}
    url = reverse("api:jurisdiction-list")
    proxy = client_from("10.0.0.2")
    first = {"HTTP_X_FORWARDED_FOR": "192.0.2.50, 198.51.100.7"}
    second = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert proxy.get(url, **first).status_code == 200
    assert proxy.get(url, **first).status_code == 429

    assert proxy.get(url, **second).status_code == 200


@pytest.mark.parametrize(
    ("behind_proxy", "expected"), [(True, "198.51.100.7"), (False, "10.0.0.2")]
)
def test_client_address_trusts_forwarded_for_only_behind_the_proxy(
    settings, behind_proxy, expected
):
    settings.BEHIND_TLS_PROXY = behind_proxy
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.50, 198.51.100.7"
    )
    assert client_address(request) == expected
