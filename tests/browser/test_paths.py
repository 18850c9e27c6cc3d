"""The paths of the people the site is for, walked in the browser: a resident finding what
applies where they live, a journalist searching, exporting and following, and staff entering
an agreement that a reviewer publishes."""

import csv
import io
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from agreements.models import Agreement
from jurisdictions.models import Agency
from policytracker.models import PublicationState
from tests.browser.conftest import PHONE
from tests.conftest import review_group
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
TITLE = "CPD and ERO information sharing memorandum"
SLUG = "cpd-and-ero-information-sharing-memorandum"


def test_a_resident_finds_their_place_its_rules_a_record_and_its_source(
    page, new_context, demo_site, screenshot
):
    page.goto("/")
    screenshot(page, "home")
    page.get_by_label("Find your city, county or state").press_sequentially("chic")
    suggestion = page.get_by_role("option", name=re.compile("^Chicago"))
    expect(suggestion).to_be_visible()  # suggested as one types (static/js/place-finder.js)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/jurisdictions/chicago/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chicago")
    expect(page.locator("main")).to_contain_text("Welcoming City Ordinance")
    # The picture shows the first question on which a rule is recorded.
    recorded = page.locator("tr:has(.position:not(.position--none))").first
    recorded.evaluate("row => row.scrollIntoView({block: 'center'})")
    screenshot(page, "jurisdiction-profile")
    page.get_by_role("link", name=re.compile("^Timeline of Chicago")).click()

    expect(page).to_have_url(re.compile(r"/jurisdictions/chicago/timeline/$"))
    page.get_by_role("link", name="Welcoming City Ordinance").first.click()

    expect(page).to_have_url(re.compile(r"/ordinances/chicago-welcoming-city-ordinance/$"))
    screenshot(page, "ordinance-detail")
    page.get_by_role(
        "link", name="This source on this site, with every record that cites it"
    ).first.click()

    expect(page).to_have_url(re.compile(r"/sources/\d+/$"))
    expect(page.locator("main")).to_contain_text("Welcoming City Ordinance")

    phone = new_context(viewport=PHONE, is_mobile=True).new_page()
    phone.goto("/jurisdictions/chicago/")
    screenshot(phone, "phone-jurisdiction")


def test_a_journalist_searches_with_filters_exports_the_results_and_finds_their_feed(
    page, demo_site, screenshot
):
    page.goto("/search/")
    page.get_by_label("Search for").fill("police")
    page.locator("details.filters summary").click()
    page.get_by_label("Record type").select_option("statement")
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(r"q=police.*type=statement"))
    results = page.locator(".result")
    expect(results.first).to_be_visible()
    screenshot(page, "search")
    shown = results.count()
    with page.expect_download() as download_info:
        page.locator(".export-links").get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    assert len(rows) == shown
    assert all("/statements/" in row["html_url"] for row in rows)  # statements' columns

    feed_url = page.locator(".feed-link a").get_attribute("href")
    assert "type=statement" in feed_url
    response = page.request.get(feed_url)
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert response.text().count("<entry>") == shown


def test_without_javascript_the_place_finder_is_a_form_that_finds_the_place(
    new_context, demo_site
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/")
    page.get_by_label("Find your city, county or state").fill("COOK")
    page.get_by_role("button", name="Find", exact=True).click()

    expect(page).to_have_url(re.compile(r"/jurisdictions/cook-county/$"))  # the one match
    expect(page.get_by_role("heading", level=1)).to_have_text("Cook County")


def test_the_map_links_each_shape_to_its_place_and_says_the_same_in_a_table(
    page, demo_site, screenshot
):
    page.goto("/map/?dimension=status_inquiry")
    cook = page.locator("svg.map__svg a.map__link", has=page.locator("title", has_text="Cook"))
    expect(cook).to_have_count(1)
    table = page.get_by_role("table", name="The same, as a table")
    expect(table.get_by_role("row", name=re.compile("^Cook County"))).to_be_visible()
    screenshot(page, "map", of=page.locator(".map-layout"))

    cook.click()

    expect(page).to_have_url(re.compile(r"/jurisdictions/cook-county/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cook County")


def staff_member(group_name):
    """A staff member in one of the review workflow's groups."""
    user = UserFactory(is_staff=True)
    user.groups.add(review_group(group_name))
    return user


def cookie_names(page):
    return {cookie["name"] for cookie in page.context.cookies()}


def log_in(page, user):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(user.username)
    # What the privacy page says staff get: the form's CSRF cookie and a session.
    assert cookie_names(page) == {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME}


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("main")).to_contain_text("Logged out")
    assert settings.SESSION_COOKIE_NAME not in cookie_names(page)


def save(page):
    page.locator("input[name=_save]").first.click()


def choose(page, field, typed, option):
    """Pick `option` in the admin's autocomplete (select2) for `field`, typing `typed`."""
    page.locator(f"#{field} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_staff_enter_an_agreement_with_its_source_and_a_reviewer_publishes_it(
    page, new_context, demo_site, screenshot
):
    editor, reviewer = staff_member("Editors"), staff_member("Reviewers")
    assert Agency.objects.filter(abbreviation="CPD").exists()

    log_in(page, editor)
    page.goto("/admin/policytracker/source/add/")
    page.locator("#id_title").fill("Memorandum between the CPD and ERO")
    page.locator("#id_publisher").fill("Chicago Police Department")
    page.locator("#id_url").fill("https://example.org/memorandum.pdf")
    save(page)
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto("/admin/agreements/agreement/add/")
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value(SLUG)  # written from the title as typed
    page.locator("#id_kind").select_option("information_sharing")
    page.locator("#id_summary").fill("The CPD and ERO agree to share arrest records.")
    choose(page, "id_local_party", "Chicago Police", "Chicago Police Department")
    choose(page, "id_federal_party", "Enforcement", "Enforcement and Removal Operations")
    choose(page, "id_citations-0-source", "Memorandum", "Memorandum between the CPD and ERO")
    page.locator("#id_citations-0-locator").fill("p. 1")
    save(page)
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    row = page.locator("#result_list tr", has_text=TITLE)
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("submit_for_review")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Agreement.objects.get(slug=SLUG).publication_state == PublicationState.IN_REVIEW
    log_out(page)
    reader = new_context().new_page()
    assert reader.goto(f"/agreements/{SLUG}/").status == 404  # not public yet

    log_in(page, reviewer)
    page.goto("/admin/agreements/agreement/?publication_state__exact=in_review")
    row = page.locator("#result_list tr", has_text=TITLE)
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Agreement.objects.get(slug=SLUG).publication_state == PublicationState.PUBLISHED
    log_out(page)

    reader.goto("/agreements/")
    screenshot(reader, "agreement-list")
    reader.get_by_role("link", name=TITLE).click()
    expect(reader).to_have_url(re.compile(f"/agreements/{SLUG}/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator("main")).to_contain_text("Memorandum between the CPD and ERO")
