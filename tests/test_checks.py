"""The project's own system checks."""

import pytest
from django.core.checks import run_checks


def corrections_warnings():
    return [
        message.id
        for message in run_checks(include_deployment_checks=True)
        if message.id == "policytracker.W001"
    ]


def test_deploy_check_warns_of_an_example_address_copied_from_the_env_file(settings):
    settings.CORRECTIONS_EMAIL = "corrections@policytracker.example.org"

    assert corrections_warnings() == ["policytracker.W001"]


def test_deploy_check_is_silent_when_corrections_come_through_the_sites_form(settings):
    settings.CORRECTIONS_EMAIL = settings.CORRECTIONS_URL = ""

    assert corrections_warnings() == []


@pytest.mark.parametrize(
    ("email", "url"),
    [("corrections@policytracker.org", ""), ("", "https://tracker.org/policytracker/issues")],
)
def test_deploy_check_is_silent_with_a_real_corrections_address(settings, email, url):
    settings.CORRECTIONS_EMAIL, settings.CORRECTIONS_URL = email, url

    assert corrections_warnings() == []


def test_ordinary_checks_leave_the_placeholder_address_alone(settings):
    settings.CORRECTIONS_EMAIL = "corrections@policytracker.example.org"

    assert [m.id for m in run_checks() if m.id == "policytracker.W001"] == []
