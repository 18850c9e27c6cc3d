"""The admin's login locks a user out from an address after repeated wrong passwords."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import UserFactory

PASSWORD = "the-right-password-1"


@pytest.fixture
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def staff(db):
    user = UserFactory(username="editor", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password, language="en"):
    with translation.override(language):
        url = reverse("admin:login")
    return client.post(url, {"username": username, "password": password, "next": "/admin/"})


def from_address(address):
    return Client(REMOTE_ADDR=address)


def test_admin_login_after_too_many_wrong_passwords_is_locked_even_with_the_right_one(
    lockout, staff
):
    client = from_address("198.51.100.7")
    for _ in range(lockout - 1):
        assert sign_in(client, "editor", "wrong").status_code == 200  # the form, again
    locked = sign_in(client, "editor", "wrong")

    response = sign_in(client, "editor", PASSWORD)

    assert locked.status_code == 429
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-ins for this user from your address" in response.text
    assert "locked for 15 minutes" in response.text
    assert int(response["Retry-After"]) == 15 * 60


def test_admin_login_lockout_page_is_in_the_admin_language(lockout, staff):
    client = from_address("198.51.100.7")
    for _ in range(lockout):
        sign_in(client, "editor", "wrong", language="es")

    response = sign_in(client, "editor", PASSWORD, language="es")

    assert response.status_code == 429
    assert '<html lang="es"' in response.text


def test_admin_login_success_before_the_limit_resets_the_count(lockout, staff):
    client = from_address("198.51.100.7")
    for _ in range(lockout - 1):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()

    for _ in range(lockout - 1):
        assert sign_in(client, "editor", "wrong").status_code == 200

    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_admin_login_lockout_spares_other_users_and_other_addresses(lockout, staff):
    other = UserFactory(username="reviewer", is_staff=True)
    other.set_password(PASSWORD)
    other.save()
    guesser = from_address("198.51.100.7")
    for _ in range(lockout):
        sign_in(guesser, "editor", "wrong")
    assert sign_in(guesser, "editor", PASSWORD).status_code == 429

    assert sign_in(guesser, "reviewer", PASSWORD).status_code == 302
    assert sign_in(from_address("203.0.113.9"), "editor", PASSWORD).status_code == 302


def test_admin_login_lockout_ends_after_the_cool_off(lockout, staff):
    client = from_address("198.51.100.7")
    for _ in range(lockout):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(client, "editor", PASSWORD).status_code == 302
