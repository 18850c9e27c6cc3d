"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser per test session (per xdist worker, each with its own live server); each test
gets a fresh browser context, so no cookie or cache passes from one test to the next. Every
request a page makes is recorded, and a test fails if any went to a host other than the
live server's. No browser is ever downloaded: Chromium is Debian's package, found at
CHROMIUM_PATH (default /usr/bin/chromium). Without it these tests are skipped, unless
REQUIRE_BROWSER=1 (as in CI), when they fail.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from policytracker.settings import env_bool

CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def _unavailable(reason):
    if env_bool("REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (REQUIRE_BROWSER is set, so browser tests may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, launched once for the session."""
    if not CHROMIUM_PATH.is_file():
        _unavailable(
            f"Chromium not found at {CHROMIUM_PATH}: install Debian's `chromium` package or "
            "set CHROMIUM_PATH"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    # Playwright's sync API runs an event loop in this thread, and Django refuses database
    # calls from a thread with a running loop unless told that this is safe, as it is here:
    # the tests call the ORM only between browser steps, never from inside the loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH))
    yield browser
    browser.close()
    playwright.stop()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class Requests(list):
    """The URL of every request a page made, in order."""

    def elsewhere(self, origin):
        """Those that went to a host other than `origin` (scheme, host and port)."""
        local = urlsplit(origin)
        return [
            url
            for url in self
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (local.scheme, local.netloc)
        ]


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """The live server's base URL, over a database restored to what migrations wrote (groups,
    permissions, the search index's version), which a transactional test's flush empties."""
    return live_server.url


@pytest.fixture
def demo_site(site):
    """The live server with the demo data loaded (the seeds' records, each cited)."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return site


@pytest.fixture
def requests_made():
    return Requests()


@pytest.fixture
def new_context(browser, site, requests_made):
    """`new_context(**options)` opens a browser context of its own (no cookies, no cache: a
    new visitor) on the live server, whose every request is recorded. The test fails if any
    request of any of them went to a host other than the live server's."""
    opened = []

    def new(**options):
        context = browser.new_context(**{"viewport": DESKTOP, "base_url": site} | options)
        context.on("request", lambda request: requests_made.append(request.url))
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()
    assert requests_made.elsewhere(site) == [], "requests to other hosts"


@pytest.fixture
def context(new_context):
    """The test's visitor."""
    return new_context()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def screenshot():
    """`screenshot(page, name)` saves `name`.png in SCREENSHOT_DIR when it is set (as `make
    screenshots` does), and does nothing otherwise; `of=locator` pictures that element only."""
    directory = os.environ.get("SCREENSHOT_DIR")

    def save(page, name, of=None):
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            (of or page).screenshot(path=str(Path(directory) / f"{name}.png"))

    return save
