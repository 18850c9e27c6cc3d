"""Switching to Spanish keeps the page and sets no cookie; a record's permanent link keeps
showing the revision it was taken from."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Agreement
from tests.browser.pages import AGREEMENT

pytestmark = pytest.mark.browser


def test_switching_to_spanish_arrives_on_the_same_page_in_spanish_with_no_cookie(page, demo_site):
    page.goto(reverse("agreements:list") + "?status=in_force")
    page.locator(".language-switch a[hreflang=es]").click()

    expect(page).to_have_url(re.compile(r"/es/agreements/\?status=in_force$"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.context.cookies() == []  # the language is in the address, not a cookie


def test_a_records_permalink_keeps_showing_its_revision_after_an_edit(page, demo_site):
    page.goto(reverse("agreements:detail", args=[AGREEMENT]))
    permalink = page.locator(".cite__url").get_attribute("href")
    assert "revision=" in permalink
    agreement = Agreement.objects.get(slug=AGREEMENT)
    shown = agreement.summary
    agreement.summary = "A later summary, written after the permalink was taken."
    agreement.save()

    page.goto(permalink)

    expect(page.locator("main")).to_contain_text(shown)
    expect(page.locator("main")).not_to_contain_text("A later summary")
    page.goto(reverse("agreements:detail", args=[AGREEMENT]))
    expect(page.locator("main")).to_contain_text("A later summary")
