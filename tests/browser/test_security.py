"""In the browser: no page breaks the Content-Security-Policy, and no stored payload runs."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Agreement
from policytracker.models import Source
from tests.browser.pages import AGREEMENT, page_types
from tests.factories import UserFactory
from tests.test_xss import page_addresses
from tests.xss_world import build_xss_world

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"

# Run before any of the page's own scripts (Playwright's init scripts are not the page's,
# so the policy does not block them): each violation the page raises, and whether a payload
# ran (it sets window.__xss) or opened a dialog.
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => {
    window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} `
        + `(${event.sourceFile}:${event.lineNumber})`);
});
"""


def watched(context):
    """A page of `context` whose CSP violations, console refusals and dialogs are kept."""
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.refusals = []
    page.dialogs = []
    page.on(
        "console",
        lambda message: (
            page.refusals.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )

    def dismiss(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return page


def violations(page):
    return page.evaluate("window.__cspViolations") + page.refusals


def log_in(page, user):
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(user.username)


def superuser():
    user = UserFactory(is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_no_page_type_breaks_the_content_security_policy(context, demo_site):
    page = watched(context)
    found = {}
    for name, path in page_types().items():
        page.goto(path)
        page.wait_for_load_state("load")
        if violations(page):
            found[name] = violations(page)
        page.refusals.clear()
    # The API as a browser sees it (DRF's browsable API), and its documentation: Swagger UI,
    # which draws the schema with its own scripts.
    for name, path in {
        "api root": reverse("api:api-root"),
        "api list": reverse("api:agreement-list"),
    }.items():
        page.goto(path)
        page.wait_for_load_state("load")
        if violations(page):
            found[name] = violations(page)
        page.refusals.clear()

    page.goto(reverse("api-docs"))
    expect(page.locator(".opblock").first).to_be_visible()
    if violations(page):
        found["api docs"] = violations(page)

    assert found == {}


def test_no_admin_page_breaks_the_content_security_policy(context, demo_site):
    page = watched(context)
    log_in(page, superuser())
    agreement = Agreement.objects.get(slug=AGREEMENT)
    source = Source.objects.first()
    paths = {
        "index": reverse("admin:index"),
        "list": reverse("admin:agreements_agreement_changelist"),
        "list, searched": reverse("admin:agreements_agreement_changelist") + "?q=police",
        "list without actions": reverse("admin:axes_accessattempt_changelist"),
        "change form": reverse("admin:agreements_agreement_change", args=[agreement.pk]),
        "add form": reverse("admin:agreements_agreement_add"),
        "history": reverse("admin:agreements_agreement_history", args=[agreement.pk]),
        "source": reverse("admin:policytracker_source_change", args=[source.pk]),
        "import": reverse("admin-import"),
        "Spanish": "/es" + reverse("admin:agreements_agreement_changelist"),
    }
    found = {}
    for name, path in paths.items():
        page.goto(path)
        page.wait_for_load_state("load")
        if violations(page):
            found[name] = violations(page)
        page.refusals.clear()
    # The admin's own scripts still work: the date widgets' calendar opens.
    page.goto(paths["change form"])
    page.locator(".datetimeshortcuts a").first.click()

    assert found == {}


def test_the_policy_is_enforced_an_inline_script_does_not_run(context, demo_site):
    """The check above can fail: a page with an inline script raises a violation."""
    page = watched(context)
    page.goto(reverse("about"))
    page.evaluate(
        """() => {
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.body.appendChild(script);
    }"""
    )
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in violation for violation in violations(page))


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping alone", "with the CSP"])
def test_no_stored_payload_runs_on_any_page(new_context, site, bypass_csp):
    """Every text field holds a payload that would set window.__xss or open a dialog. With
    the policy bypassed, what stops them is the escaping alone."""
    world = build_xss_world()
    page = watched(new_context(bypass_csp=bypass_csp))
    ran = {}
    for path in page_addresses(world):
        if path.startswith("/es/"):
            continue  # the same templates, read in English here (tests/test_xss.py has both)
        page.goto(path)
        page.wait_for_load_state("load")
        if page.evaluate("window.__xss") is not None or page.dialogs:
            ran[path] = (page.evaluate("window.__xss"), list(page.dialogs))
        page.dialogs.clear()

    # The place finder's suggestions show the places' names, payloads and all, as text.
    page.goto(reverse("places:find"))
    page.get_by_label(re.compile("city, county or state")).press_sequentially("Payload")
    expect(page.locator(".combobox__list [role=option]").first).to_contain_text("<script>")
    # And the payloads are shown as text on the pages.
    page.goto(world.deal.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("<script>window.__xss=")

    assert ran == {}
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
