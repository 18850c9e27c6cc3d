"""The project's own system checks."""

import pytest
from django.core.checks import run_checks


def corrections_warnings():
    return [
        message.id
        for message in run_checks(include_deployment_checks=True)
        if message.id == "policytracker.W001"
    ]


def test_deploy_check_warns_while_corrections_go_to_the_placeholder_address():
    assert corrections_warnings() == ["policytracker.W001"]


@pytest.mark.parametrize(
    ("email", "url"),
    [("corrections@policytracker.org", ""), ("", "https://tracker.org/policytracker/issues")],
)
def test_deploy_check_is_silent_with_a_real_corrections_address(settings, email, url):
    settings.CORRECTIONS_EMAIL, settings.CORRECTIONS_URL = email, url

    assert corrections_warnings() == []


def test_ordinary_checks_leave_the_placeholder_address_alone():
    assert [m.id for m in run_checks() if m.id == "policytracker.W001"] == []
