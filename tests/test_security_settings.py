"""`manage.py check --deploy` with the production environment that .env.example documents."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# What the test run itself sets that a production process would not have.
# What the test process sets for itself (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE among
# them) and a deployment would not.
NOT_INHERITED = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_environment(tmp_path, **changes):
    """The process environment of a production server: .env.example's settings, with a long
    random secret and a database that exists (the checks open no connection to it)."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["STATIC_ROOT"] = str(tmp_path / "static")
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_the_production_environment_passes(tmp_path):
    result = check_deploy(production_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_production_defaults_need_only_secret_and_hosts(tmp_path):
    """DEBUG off is enough for HTTPS redirects, HSTS and secure cookies: an operator who
    sets only the required settings gets a site that passes the checks."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in NOT_INHERITED and not key.startswith(("SECURE_", "BEHIND_"))
    }
    env |= {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "policytracker.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECRET_KEY": "short"}, "security.W009"),
        ({"SECURE_COOKIES": "false"}, "security.W012"),
    ],
)
def test_check_deploy_weakened_environment_fails(tmp_path, changes, warning):
    """The check is a real one: weakening any setting it covers makes it fail."""
    result = check_deploy(production_environment(tmp_path, **changes))
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout
