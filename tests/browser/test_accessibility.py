"""axe-core finds no violation of WCAG 2.1 AA on any page type, in light and dark colours; the
keyboard reaches every control with a visible focus; nothing scrolls sideways at 320 px.

The API's documentation page (/api/docs/) is left out of the accessibility checks: it is
Swagger UI's own markup, built by its script, and axe's findings there (buttons inside
buttons, selects without a name) cannot be fixed from this project's templates or styles.
The privacy test still loads it."""

import pytest
from django.utils import translation

from tests.browser.audits import (
    axe_violations,
    keyboard_problems,
    page_width,
    unreachable_scroll_containers,
)
from tests.browser.pages import page_types

pytestmark = pytest.mark.browser

NARROWEST = {"width": 320, "height": 640}
DARK_PAGES = [
    "home",
    "jurisdictions",
    "agreements in a place, filtered",
    "jurisdiction with its profile",
    "jurisdiction's timeline",
    "agreement",
    "statement",
    "source",
    "compare",
    "coverage of a state",
    "search with results",
    "a record's changes",
    "corrections form",
    "not found",
    "admin login",
]
# The pages a reader moves through most, tabbed through from top to bottom.
KEYBOARD_PAGES = [
    "home",
    "jurisdictions",
    "agreements in a place, filtered",
    "jurisdiction with its profile",
    "jurisdiction's timeline",
    "agreement",
    "source",
    "compare",
    "search with filters",
    "corrections form",
    "admin login",
]


def report(found):
    """One line per page and problem, for the failure message."""
    return "\n".join(
        f"{where}: {problem}" for where, problems in found.items() for problem in problems
    )


def visit(page, path):
    response = page.goto(path)
    expected = 404 if path.endswith("/no-such-page/") else 200
    assert response.status == expected, f"{path} answered {response.status}"


def test_every_page_type_has_no_axe_violation(page, demo_site):
    found = {}
    for name, path in page_types().items():
        visit(page, path)
        if violations := axe_violations(page):
            found[f"{name} ({path})"] = violations
    assert not found, "axe-core's violations:\n" + report(found)


def test_every_page_type_in_spanish_has_no_axe_violation(page, demo_site):
    with translation.override("es"):
        paths = page_types()
    found = {}
    for name, path in paths.items():
        visit(page, path)
        assert page.locator("html").get_attribute("lang") == "es", path
        if violations := axe_violations(page):
            found[f"{name} ({path})"] = violations
    assert not found, "axe-core's violations in Spanish:\n" + report(found)


def test_every_coloured_component_has_enough_contrast_in_dark_colours(page, demo_site):
    """Only the colours change with the reader's choice of a dark scheme, and they come from
    the same few variables everywhere: these pages hold every component that has colours of
    its own (positions, badges, highlights, facets, quotes, forms, notices, the admin's)."""
    page.emulate_media(color_scheme="dark")
    found = {}
    paths = page_types()
    for name in DARK_PAGES:
        path = paths[name]
        visit(page, path)
        if violations := axe_violations(page, rules=["color-contrast"]):
            found[f"{name} ({path})"] = violations
    assert not found, "axe-core's violations in dark colours:\n" + report(found)


def test_the_keyboard_reaches_every_control_with_a_visible_focus(page, demo_site):
    missed, invisible = {}, {}
    paths = page_types()
    for name in KEYBOARD_PAGES:
        visit(page, paths[name])
        not_reached, without_focus = keyboard_problems(page)
        if not_reached:
            missed[name] = not_reached
        if without_focus:
            invisible[name] = without_focus
    assert not missed, "controls the keyboard never reached:\n" + report(missed)
    assert not invisible, "controls reached without a visible focus:\n" + report(invisible)


def test_no_page_type_scrolls_sideways_at_320_pixels(page, demo_site):
    page.set_viewport_size(NARROWEST)
    too_wide, unreachable = {}, {}
    for name, path in page_types().items():
        visit(page, path)
        if (width := page_width(page)) > NARROWEST["width"]:
            too_wide[f"{name} ({path})"] = width
        if boxes := unreachable_scroll_containers(page):
            unreachable[name] = boxes
    assert not too_wide, f"pages wider than the screen: {too_wide}"
    assert not unreachable, "scrolling boxes a keyboard cannot reach, or unnamed:\n" + report(
        unreachable
    )
