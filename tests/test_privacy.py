"""The privacy page: linked from every page, naming the cookies as this deployment sets them;
and the claims that can be checked without a browser (see tests/browser/test_privacy.py for
the requests and cookies a browser sees)."""

import pytest
from django.test import Client
from django.urls import reverse

from policytracker.corrections.models import Correction

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["home", "about", "agreements:list", "search:search"])
def test_every_page_links_to_the_privacy_page_from_its_footer(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]

    assert f'<a href="{reverse("privacy")}">Privacy</a>' in footer


def test_privacy_page_says_what_it_promises(client):
    response = client.get(reverse("privacy"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "csrftoken" in html
    assert "no analytics" in html


def test_privacy_page_sets_no_cookie_and_asks_for_no_referrer_elsewhere(client):
    response = Client().get(reverse("privacy"))

    assert response.cookies == {}
    assert response["Referrer-Policy"] == "same-origin"


def test_a_correction_keeps_what_the_reader_wrote_and_nothing_about_them():
    """The privacy page says the form keeps the page, the message, the source and an optional
    address for a reply, and neither the reader's internet address nor their browser."""
    fields = {field.name for field in Correction._meta.get_fields()}

    assert fields == {
        "id",
        "page",
        "message",
        "evidence",
        "reply_to",
        "received_at",
        "state",
        "staff_note",
        "handled_by",
    }


def test_api_docs_load_no_validator_badge_from_elsewhere(client):
    # The page's start-up script is served apart from it (no inline script under the CSP).
    html = client.get(reverse("api-docs")).content.decode()
    script = client.get(reverse("api-docs"), {"script": ""})

    assert f'<script src="{reverse("api-docs")}?script="></script>' in html
    assert script["Content-Type"] == "application/javascript"
    assert '"validatorUrl": null' in script.content.decode()
