"""The security headers on pages, the API, feeds, downloads and the admin, and a templates'
check that nothing inline needs the Content-Security-Policy's 'unsafe-inline'."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    parts = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {part[0]: part[1:] for part in parts if part}


def addresses():
    agreement = AgreementFactory()
    return {
        "home": reverse("home"),
        "list": reverse("agreements:list"),
        "detail": agreement.get_absolute_url(),
        "search": reverse("search:search") + "?q=police",
        "spanish page": "/es" + reverse("agreements:list"),
        "api list": reverse("api:agreement-list"),
        "api detail": reverse("api:agreement-detail", kwargs={"slug": agreement.slug}),
        "api schema": reverse("schema"),
        "api docs": reverse("api-docs"),
        "feed": reverse("feeds:changes"),
        "export": reverse("agreements:export", kwargs={"file_format": "csv"}),
        "admin login": reverse("admin:login"),
        "admin (Spanish)": "/es" + reverse("admin:login"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "list",
        "detail",
        "search",
        "spanish page",
        "api list",
        "api detail",
        "api schema",
        "api docs",
        "feed",
        "export",
        "admin login",
        "admin (Spanish)",
    ],
)
def test_every_kind_of_response_carries_the_security_headers(client, name):
    response = client.get(addresses()[name])

    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_admin_pages_signed_in_carry_the_policy(admin_client):
    for url in (reverse("admin:index"), reverse("admin:agreements_agreement_changelist")):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert directives(response)["script-src"] == ["'self'"]


# Nothing in the site's templates needs 'unsafe-inline': no <script> without src (a JSON
# data block excepted), no <style>, no style= attribute, no on…= handler, no javascript: URL.
INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>"),
        "script",
    ),
    (re.compile(r"<style[\s>]"), "style block"),
    (re.compile(r"\sstyle\s*="), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def template_files():
    return sorted(path for path in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize(
    "path", template_files(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_template_has_nothing_inline(path):
    # Comments may name what they avoid.
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", path.read_text(), flags=re.S)
    text = re.sub(r"{#.*?#}", "", text)
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == []


def test_inline_check_finds_what_it_looks_for():
    """The check above is a real one."""
    samples = [
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<p style="color: red">',
        '<img onerror="x()">',
        '<a href="javascript:x()">',
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _ in INLINE), sample
    assert not any(
        pattern.search('<script src="/static/js/cite.js" defer></script>') for pattern, _ in INLINE
    )
