"""Stored XSS: with a payload in every text field (tests/xss_world.py), every page, feed,
API answer, export and admin page that shows them shows them escaped, never as markup.

The browser's check that no payload runs is tests/browser/test_security.py.
"""

import html
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from policytracker.feeds.feeds import RECORD_TYPES
from policytracker.models import Source
from policytracker.templatetags.web_urls import web_url
from tests.factories import UserFactory
from tests.worlds import built_once
from tests.xss_world import EXEMPT, RAW, TOKEN, build_xss_world, text_fields

pytestmark = pytest.mark.django_db

# Text fields no public page, feed, API answer, export or admin page shows, and why.
NOT_SHOWN = {
    "jurisdictions.HistoricalJurisdiction.search_name": "the same, in the history",
    "policytracker.Source.document_text": "in search snippets only where the backend picks it",
    "policytracker.HistoricalSource.document_text": "a document's earlier text",
    "policytracker.HistoricalSource.document": "an earlier file's stored name",
    "policytracker.ContentVersion.token": "the page cache's key, in no page (ETags hash it)",
    # Earlier versions of what pages show only as it is now.
    **{
        f"{label}.{name}": "an earlier version's value; pages show the current one"
        for label, names in {
            "agreements.HistoricalAgreement": ["listing_id"],
            "policytracker.HistoricalSource": ["url", "archive_url", "notes"],
            "profiles.HistoricalProvision": ["clause", "locator", "note", "reported_by"],
            "profiles.HistoricalDimensionReview": ["note"],
        }.items()
        for name in names
    },
}


@dataclass
class Output:
    name: str
    content_type: str
    text: str


def page_addresses(world):
    """Every public page that shows records' text, in English and in Spanish."""
    records = [world.city, world.police, world.rule, world.deal, world.talk]
    addresses = []
    for record in records:
        namespace = record.url_namespace
        addresses += [
            record.get_absolute_url(),
            reverse(f"{namespace}:changes", args=[record.slug]),
            f"{record.get_absolute_url()}?revision={record.history.first().history_id}",
            reverse(f"{namespace}:list"),
        ]
    addresses += [
        reverse("sources:detail", args=[pk])
        for pk in Source.objects.cited_by_visible(None).values_list("pk", flat=True)
    ]
    addresses += [
        reverse("home"),
        reverse("sources:list"),
        reverse("search:search") + "?q=payload",
        reverse("changes"),
        reverse("profiles:compare") + f"?j={world.city.slug}&j=county&j=state",
        reverse("jurisdictions:timeline", args=[world.city.slug]),
        reverse("profiles:coverage"),
        reverse("profiles:coverage-state", args=["state"]),
        reverse("maps:map"),
        reverse("maps:map") + "?level=states",
        reverse("places:find") + "?q=payload",
        reverse("exports:index"),
        # What a reader sends back in the address is escaped too (reflected, not stored).
        reverse("corrections:new") + "?page=" + quote('"><script>window.__xss=999</script>'),
    ]
    return addresses + ["/es" + address for address in addresses]


def feed_addresses(world):
    return [
        reverse("feeds:changes"),
        reverse("feeds:revisions"),
        reverse("feeds:search") + "?q=payload",
        reverse("feeds:place", args=[world.city.slug]),
        *(reverse("feeds:records", args=[record_type]) for record_type in RECORD_TYPES),
    ]


def api_addresses(world):
    records = {
        "jurisdiction": world.city,
        "agency": world.police,
        "ordinance": world.rule,
        "agreement": world.deal,
        "statement": world.talk,
    }
    addresses = []
    for basename, record in records.items():
        addresses += [
            reverse(f"api:{basename}-list"),
            reverse(f"api:{basename}-detail", kwargs={"slug": record.slug}),
        ]
    source = Source.objects.cited_by_visible(None).first()
    addresses += [
        reverse("api:source-list"),
        reverse("api:source-detail", kwargs={"pk": source.pk}),
        reverse("api:search-list") + "?q=payload",
        reverse("api:compare-list") + f"?j={world.city.slug}&j=county",
        reverse("api:coverage-list"),
    ]
    return addresses


def export_addresses(world):
    addresses = []
    for record in [world.city, world.police, world.rule, world.deal, world.talk]:
        for file_format in ("csv", "json"):
            namespace = record.url_namespace
            addresses += [
                reverse(f"{namespace}:export", kwargs={"file_format": file_format}),
                reverse(
                    f"{namespace}:changes-export",
                    kwargs={"slug": record.slug, "file_format": file_format},
                ),
            ]
    for file_format in ("csv", "json"):
        addresses += [
            reverse("exports:sources", kwargs={"file_format": file_format}),
            reverse("exports:citations", kwargs={"file_format": file_format}),
            reverse("changes-export", kwargs={"file_format": file_format}),
            reverse("jurisdictions:profile-csv", args=[world.city.slug]),
        ]
    return addresses


def admin_addresses():
    addresses = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        addresses.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        for obj in model._default_manager.all()[:2]:
            object_id = obj.user_id if opts.model_name == "tokenproxy" else obj.pk
            addresses.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )
            if hasattr(model_admin, "history_view"):
                addresses.append(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id])
                )
    return addresses


def read(client, address, **headers):
    response = client.get(address, **headers)
    assert response.status_code == 200, (address, response.status_code)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    return Output(address, response["Content-Type"].split(";")[0], body)


def render_everything(world):
    staff = UserFactory(is_staff=True, is_superuser=True)
    staff_client = Client()
    staff_client.force_login(staff)
    anonymous, api = Client(), APIClient()
    outputs = [read(anonymous, address) for address in page_addresses(world)]
    outputs += [read(anonymous, address) for address in feed_addresses(world)]
    outputs += [read(api, address) for address in api_addresses(world)]
    # The browsable API draws the same answers as a page.
    outputs += [read(api, address, HTTP_ACCEPT="text/html") for address in api_addresses(world)]
    outputs += [read(anonymous, address) for address in export_addresses(world)]
    outputs += [read(staff_client, address) for address in admin_addresses()]
    return outputs


@pytest.fixture(scope="class")
def rendered(django_db_setup, django_db_blocker):
    """The payloads' world and everything rendered from it, built once for the class."""

    def build():
        world = build_xss_world()
        return world, render_everything(world)

    yield from built_once(django_db_blocker, build)


def html_fragments(output):
    """The parts of an output a browser reads as HTML: a page; in a feed, the elements
    whose text is HTML (RSS description, Atom content and summary)."""
    if output.content_type == "text/html":
        return [output.text]
    if output.content_type in {"application/rss+xml", "application/atom+xml"}:
        tree = ElementTree.fromstring(output.text.encode())
        tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
        assert not tags & {"script", "img", "svg"}, output.name  # no markup from a payload
        return [
            element.text or ""
            for element in tree.iter()
            if element.tag.rsplit("}", 1)[-1] in {"description", "content", "summary"}
        ]
    return []


class TestStoredXSS:
    def test_every_html_output_shows_the_payloads_escaped(self, rendered):
        _world, outputs = rendered
        unescaped = [
            (output.name, match.group(0))
            for output in outputs
            for fragment in html_fragments(output)
            for match in [RAW.search(fragment)]
            if match
        ]
        assert unescaped == [], "\n".join(map(str, unescaped))

    def test_no_api_answer_or_export_is_served_as_html(self, rendered):
        _world, outputs = rendered
        types = {
            output.content_type
            for output in outputs
            if output.name.startswith("/api/") or "export" in output.name or ".csv" in output.name
        }
        assert types <= {"application/json", "text/csv", "text/html"}
        # text/html only for the browsable API, asked for it, which escapes what it shows.
        html_outputs = [o for o in outputs if o.content_type == "text/html"]
        assert all(not o.name.endswith((".csv", ".json")) for o in html_outputs)

    def test_every_text_field_is_shown_somewhere_or_said_not_to_be(self, rendered):
        """The payloads reach the outputs: each field's number appears in at least one (or
        the field is in NOT_SHOWN), so the escaping above was checked on every field shown."""
        world, outputs = rendered
        seen = set()
        for output in outputs:
            text = (
                html.unescape(output.text)
                if output.content_type != "application/json"
                else output.text
            )
            seen |= {int(number) for number in TOKEN.findall(text)}
        unseen = {world.fields[number] for number in set(world.fields) - seen}
        assert unseen <= set(NOT_SHOWN), "\n".join(sorted(unseen - set(NOT_SHOWN)))

    def test_every_text_field_holds_a_payload_unless_exempt(self, rendered):
        world, _outputs = rendered
        assert len(world.fields) == len(text_fields())
        assert all(label not in EXEMPT for label in world.fields.values())
        assert "jurisdictions.Ordinance.title_es" in world.fields.values()
        assert "policytracker.Citation.excerpt" in world.fields.values()
        assert "corrections.Correction.message" in world.fields.values()

    def test_the_reflected_address_is_escaped(self, rendered):
        _world, outputs = rendered
        form = next(o for o in outputs if o.name.startswith(reverse("corrections:new")))
        assert "&lt;script&gt;window.__xss=999" in form.text or "__xss=999" not in form.text


@pytest.mark.parametrize(
    ("address", "linked"),
    [
        ("https://www.chicago.gov/ordinance.pdf", "https://www.chicago.gov/ordinance.pdf"),
        ("http://example.org/", "http://example.org/"),
        ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
        ("javascript:alert(1)", ""),
        ("JavaScript:alert(1)", ""),
        (" java\tscript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox", ""),
        ("//evil.example/", ""),
        ("https:", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_web_url_links_only_web_addresses(address, linked):
    assert web_url(address) == linked
