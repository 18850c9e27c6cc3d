"""What the privacy page promises, checked in the browser: no request to another host from
any page, no cookie for a reader but the CSRF cookie of a form that posts, and no referrer
sent to other sites. (Every browser test fails on a request to another host; the staff
path checks the session cookie of staff who log in, and that it goes when they log out.)"""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from policytracker.corrections.models import Correction
from tests.browser.pages import AGREEMENT, page_types

pytestmark = pytest.mark.browser

# The pages with a form that posts, which set the CSRF cookie: nothing else may set one.
FORM_PAGES = {"corrections form", "admin login"}


def cookie_names(page):
    return {cookie["name"] for cookie in page.context.cookies()}


def test_reading_searching_and_downloading_set_no_cookie_and_load_only_the_sites_files(
    page, demo_site, requests_made
):
    for name, path in page_types().items():
        if name not in FORM_PAGES:
            response = page.goto(path)
            assert response.headers["referrer-policy"] == "same-origin", path
    downloads = [
        reverse("agreements:export", args=["csv"]),
        reverse("search:export", args=["json"]) + "?q=police",
        reverse("feeds:changes"),
        reverse("api:agreement-detail", args=[AGREEMENT]),
        reverse("exports:sources", args=["csv"]),
    ]
    for url in downloads:
        response = page.request.get(url)
        assert response.ok, url
        assert "set-cookie" not in response.headers, url

    assert page.context.cookies() == []
    assert any(url.endswith("/static/css/site.css") for url in requests_made)

    # The API's documentation (Swagger UI, from this site's own files) can send requests
    # with its "Try it out" buttons, and so holds the CSRF cookie, as the privacy page says.
    page.goto(reverse("api-docs"))
    expect(page.locator(".opblock").first).to_be_visible()  # the schema is loaded and shown
    assert cookie_names(page) == {settings.CSRF_COOKIE_NAME}
    # Swagger UI's badge would load an image from its maker's validator on any host but
    # localhost, which is what the tests run on: it must be off, not merely not shown here.
    assert page.evaluate("ui.getConfigs().validatorUrl") is None
    # (and the `context` fixture fails the test if any request went to another host)


def test_only_a_form_that_posts_sets_a_cookie_the_csrf_one_and_a_report_keeps_no_address(
    page, demo_site
):
    page.goto(reverse("agreements:detail", args=[AGREEMENT]))
    page.get_by_role("link", name="Report an error on this page").click()
    assert cookie_names(page) == {settings.CSRF_COOKIE_NAME}

    page.get_by_label("What is wrong").fill("The date signed is missing.")
    page.get_by_role("button", name="Send the report").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith(reverse("corrections:thanks"))
    assert cookie_names(page) == {settings.CSRF_COOKIE_NAME}
    report = Correction.objects.get()
    assert report.page == reverse("agreements:detail", args=[AGREEMENT])
    assert report.message == "The date signed is missing."
