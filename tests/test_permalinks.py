"""Permalinks to published revisions (`?revision=N`) and the "Cite this page" box, on the
record pages and in the API: an old revision keeps its text after later edits, says which
it is and links to the current one; a draft's, another record's or an unknown revision is
404, a number that is not one 400."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from agreements.models import Statement
from policytracker.models import PublicationState, Source
from policytracker.revisions import record_revisions
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

RECORD_FACTORIES = {
    "jurisdictions": (JurisdictionFactory, "name", "jurisdiction"),
    "agencies": (AgencyFactory, "name", "agency"),
    "ordinances": (OrdinanceFactory, "title", "ordinance"),
    "agreements": (AgreementFactory, "title", "agreement"),
    "statements": (StatementFactory, "title", "statement"),
}


def cited(record):
    SourceFactory(record=record, title=f"Document about {record.slug}")
    return record


def newest_revision(record):
    return record_revisions(record).values_list("history_id", flat=True).first()


def edit(record, reason="Corrected", **changes):
    for name, value in changes.items():
        setattr(record, name, value)
    record._change_reason = reason
    record.save()
    return newest_revision(record)


def page(record, revision=None):
    url = record.get_absolute_url()
    return f"{url}?revision={revision}" if revision is not None else url


def day(moment):
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


@pytest.fixture
def ordinance():
    """A published ordinance with a source, whose summary was then changed and published."""
    record = cited(OrdinanceFactory(title="Welcoming City Ordinance", summary="The first text."))
    record.first_revision = newest_revision(record)
    record.second_revision = edit(record, summary="The corrected text.")
    return record


@pytest.mark.parametrize("namespace", RECORD_FACTORIES)
def test_a_revision_keeps_showing_its_text_after_a_later_edit_and_publish(client, namespace):
    factory, title_field, _basename = RECORD_FACTORIES[namespace]
    record = cited(factory(summary="Old words."))
    old = newest_revision(record)
    new = edit(record, summary="New words.", **{title_field: "A new title"})

    response = client.get(page(record, old))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Old words." in content
    assert "New words." not in content
    assert f"You are viewing revision {old}, published" in content
    assert f'href="{record.get_absolute_url()}"' in content
    assert "See the current version." in content
    current = client.get(page(record)).content.decode()
    assert "New words." in current
    assert f"?revision={new}" in current


def test_the_notice_gives_the_revision_its_date_and_the_link_to_the_current_version(
    client, ordinance
):
    first = ordinance.history.get(history_id=ordinance.first_revision)

    response = client.get(page(ordinance, ordinance.first_revision))

    content = response.content.decode()
    assert response.context["shown_revision"].number == ordinance.first_revision
    assert (
        f"You are viewing revision {ordinance.first_revision}, published "
        f"{day(first.history_date)}." in content
    )
    assert "The record has been changed since." in content
    assert "The other records and lists on this page are shown as they are today." in content


def test_the_current_revision_asked_for_says_it_is_the_current_version(client, ordinance):
    response = client.get(page(ordinance, ordinance.second_revision))

    assert response.status_code == 200
    assert "It is the current version." in response.content.decode()


def test_the_page_without_revision_has_no_notice_and_cites_the_current_revision(client, ordinance):
    response = client.get(page(ordinance))

    content = response.content.decode()
    assert "You are viewing revision" not in content
    cite = response.context["cite"]
    assert cite.revision.number == ordinance.second_revision
    assert cite.url == f"http://testserver{page(ordinance, ordinance.second_revision)}"


def test_the_cite_box_gives_the_permalink_the_access_date_and_the_citation(
    client, settings, ordinance
):
    settings.SITE_NAME = "Immigration Policy Tracker"
    revision = ordinance.history.get(history_id=ordinance.second_revision)
    permalink = f"http://testserver{page(ordinance, revision.history_id)}"
    today = date_format(timezone.localdate(), "DATE_FORMAT")

    content = client.get(page(ordinance)).content.decode()

    assert '<section class="cite" aria-labelledby="cite-heading">' in content
    assert '<h2 id="cite-heading">Cite this page</h2>' in content
    assert f'<a href="{permalink}" class="cite__url">{permalink}</a>' in content
    assert (
        f'<dd class="cite__text" id="cite-text">Immigration Policy Tracker. '
        f"“Welcoming City Ordinance.” Revision {revision.history_id}, published "
        f"{day(revision.history_date)}. {permalink}. Accessed {today}.</dd>"
    ) in content
    assert f'<time datetime="{timezone.localdate():%Y-%m-%d}">{today}</time>' in content
    # The copy button is a static script's, shown by it: the page has no inline script.
    assert '<script src="/static/js/cite.js" defer></script>' in content
    assert "<script>" not in content
    assert "onclick" not in content


def test_the_site_name_defaults_to_the_translated_name(client, ordinance):
    content = client.get(page(ordinance)).content.decode()

    assert 'id="cite-text">Policy tracker. “Welcoming City Ordinance.”' in content


def test_the_old_revision_cites_itself_with_its_old_title(client):
    agreement = cited(AgreementFactory(title="Old title"))
    old = newest_revision(agreement)
    edit(agreement, title="New title")

    response = client.get(page(agreement, old))

    assert response.context["cite"].title == "Old title"
    assert f"“Old title.” Revision {old}, published" in response.context["cite"].text
    assert "<h1>Old title</h1>" in response.content.decode()


def test_a_revision_lists_the_sources_cited_then(client):
    agency = AgencyFactory()
    kept = SourceFactory(record=agency, title="Kept document")
    removed = CitationFactory(record=agency, source=SourceFactory(title="Removed document"))
    old = newest_revision(agency)
    agency.refresh_from_db()
    edit(agency, summary="Changed")
    removed.delete()
    SourceFactory(record=agency, title="Added document")

    old_page = client.get(page(agency, old)).content.decode()
    current = client.get(page(agency)).content.decode()

    assert "Kept document" in old_page and "Removed document" in old_page
    assert "Added document" not in old_page
    assert "Removed document" not in current and "Added document" in current
    assert kept.title in current


def test_a_revision_shows_the_records_it_named_then(client):
    old_place, new_place = (
        JurisdictionFactory(name="Old Town"),
        JurisdictionFactory(name="New Town"),
    )
    agency = cited(AgencyFactory(jurisdiction=old_place))
    old = newest_revision(agency)
    edit(agency, jurisdiction=new_place)

    content = client.get(page(agency, old)).content.decode()

    assert "Old Town" in content


def test_a_revision_does_not_name_a_record_since_returned_to_draft(client, api_client):
    old_parent, old_place = JurisdictionFactory(name="Old County"), JurisdictionFactory()
    city = cited(JurisdictionFactory(parent=old_parent))
    agency = cited(AgencyFactory(jurisdiction=old_place))
    city_revision, agency_revision = newest_revision(city), newest_revision(agency)
    edit(city, parent=JurisdictionFactory())
    edit(agency, jurisdiction=JurisdictionFactory())
    for place in (old_parent, old_place):
        edit(place, publication_state=PublicationState.DRAFT)
    agency_api = reverse("api:agency-detail", kwargs={"slug": agency.slug})

    # An optional field: the revision shows, without the record.
    response = client.get(page(city, city_revision))
    # A required one: the revision is not shown.
    refused = client.get(page(agency, agency_revision))

    assert response.status_code == 200
    assert "Old County" not in response.content.decode()
    assert refused.status_code == 404
    assert api_client.get(agency_api, {"revision": agency_revision}).status_code == 404


def test_a_withdrawn_record_keeps_its_published_revisions(client, ordinance):
    withdrawn = edit(ordinance, publication_state=PublicationState.WITHDRAWN)

    old = client.get(page(ordinance, ordinance.first_revision))
    now = client.get(page(ordinance))

    assert old.status_code == 200
    assert "The record has been changed and withdrawn since." in old.content.decode()
    assert now.context["cite"].revision.number == withdrawn
    assert f"Revision {withdrawn}, withdrawn" in now.context["cite"].text


def test_a_draft_revision_is_404(client, ordinance):
    edit(ordinance, publication_state=PublicationState.DRAFT)
    draft = ordinance.history.latest("history_id").history_id
    edit(ordinance, publication_state=PublicationState.PUBLISHED)

    assert client.get(page(ordinance, draft)).status_code == 404
    assert client.get(page(ordinance, ordinance.first_revision)).status_code == 200


def test_a_revision_of_a_record_before_it_was_published_is_404(client):
    agreement = AgreementFactory(publication_state=PublicationState.DRAFT)
    draft = agreement.history.latest("history_id").history_id
    cited(agreement)
    edit(agreement, publication_state=PublicationState.PUBLISHED)

    assert client.get(page(agreement, draft)).status_code == 404


def test_a_revision_of_another_record_is_404(client, ordinance):
    other = cited(OrdinanceFactory())

    assert client.get(page(other, ordinance.first_revision)).status_code == 404


@pytest.mark.parametrize("number", ["999999999", str(2**63), str(2**70)])
def test_an_unknown_revision_is_404(client, ordinance, number):
    assert client.get(page(ordinance, number)).status_code == 404


def test_a_draft_record_has_no_revision_for_the_public(client, staff_client):
    ordinance = cited(OrdinanceFactory(publication_state=PublicationState.DRAFT))
    draft = ordinance.history.latest("history_id").history_id

    assert client.get(page(ordinance, draft)).status_code == 404
    assert staff_client.get(page(ordinance, draft)).status_code == 404
    response = staff_client.get(page(ordinance))
    assert response.context["cite"].revision is None
    assert "This record has no published revision yet" in response.content.decode()


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.5", "", "١٢", "3x", "+4"])
def test_a_malformed_revision_is_400_naming_the_problem(client, ordinance, value):
    response = client.get(ordinance.get_absolute_url(), {"revision": value})

    assert response.status_code == 400
    content = response.content.decode()
    assert "The revision must be a positive whole number" in content
    assert f'href="{ordinance.get_absolute_url()}"' in content


def test_two_revisions_asked_for_is_400(client, ordinance):
    response = client.get(
        ordinance.get_absolute_url(),
        {"revision": [ordinance.first_revision, ordinance.second_revision]},
    )

    assert response.status_code == 400
    assert "Give one revision number, not 2." in response.content.decode()


def test_a_renamed_record_keeps_its_revision_through_the_redirect(client, ordinance):
    old_url = page(ordinance, ordinance.first_revision)
    edit(ordinance, slug="renamed-ordinance")

    response = client.get(old_url)

    assert response.status_code == 301
    assert (
        response["Location"]
        == f"/ordinances/renamed-ordinance/?revision={ordinance.first_revision}"
    )
    assert "The first text." in client.get(response["Location"]).content.decode()


def test_the_changes_page_numbers_each_revision_and_links_its_permalink(client, ordinance):
    content = client.get(
        reverse("ordinances:changes", kwargs={"slug": ordinance.slug})
    ).content.decode()

    for number in (ordinance.first_revision, ordinance.second_revision):
        assert f'<a href="{page(ordinance, number)}">{number}</a>' in content


def test_the_feed_of_revisions_links_each_entry_to_its_permalink(client, ordinance):
    content = client.get(reverse("feeds:revisions")).content.decode()

    assert f"{page(ordinance, ordinance.second_revision)}" in content


def test_a_statement_revision_keeps_its_text(client):
    statement = cited(StatementFactory(text="We will not cooperate."))
    old = newest_revision(statement)
    edit(statement, text="We will cooperate.")

    content = client.get(page(statement, old)).content.decode()

    assert "We will not cooperate." in content
    assert Statement.objects.get(pk=statement.pk).text == "We will cooperate."


class TestSourcePages:
    def test_a_source_revision_keeps_its_description(self, client):
        source = SourceFactory(record=AgencyFactory(), title="The first title")
        old = source.history.latest("history_id").history_id
        source.title = "The second title"
        source.save()
        new = source.history.latest("history_id").history_id

        old_page = client.get(page(source, old))
        current = client.get(page(source))

        assert old_page.status_code == 200
        assert "<h1>The first title" in old_page.content.decode()
        assert "The records that cite it are listed as they are today." in (
            old_page.content.decode()
        )
        assert current.context["cite"].revision.number == new
        assert f"sources/{source.pk}/?revision={new}" in current.context["cite"].text

    def test_a_revision_of_another_source_is_404_and_a_bad_one_400(self, client):
        source, other = (SourceFactory(record=AgencyFactory()) for _ in range(2))
        other_revision = other.history.latest("history_id").history_id

        assert client.get(page(source, other_revision)).status_code == 404
        assert client.get(source.get_absolute_url(), {"revision": "x"}).status_code == 400


class TestAPI:
    def api_url(self, record, revision=None):
        basename = RECORD_FACTORIES[record.url_namespace][2]
        url = reverse(f"api:{basename}-detail", kwargs={"slug": record.slug})
        return f"{url}?revision={revision}" if revision is not None else url

    @pytest.mark.parametrize("namespace", RECORD_FACTORIES)
    def test_the_api_gives_a_revision_marked_with_its_number_and_date(self, api_client, namespace):
        factory, title_field, _basename = RECORD_FACTORIES[namespace]
        record = cited(factory(summary="Old words."))
        old = newest_revision(record)
        first = record.history.get(history_id=old)
        new = edit(record, summary="New words.")

        body = api_client.get(self.api_url(record, old)).json()
        current = api_client.get(self.api_url(record)).json()

        assert body["summary"] == "Old words."
        assert body["revision"] == {
            "number": old,
            "published_at": timezone.localtime(first.history_date).isoformat(),
            "withdrawn": False,
            "current": False,
            "html_url": f"http://testserver{page(record, old)}",
            "url": f"http://testserver{self.api_url(record, old)}",
        }
        assert current["summary"] == "New words."
        assert current["revision"]["number"] == new
        assert current["revision"]["current"] is True
        assert len(body["citations"]) == 1

    def test_the_api_revision_404s_and_400s_as_the_page(self, api_client, ordinance):
        other = cited(OrdinanceFactory())
        edit(ordinance, publication_state=PublicationState.DRAFT)
        draft = ordinance.history.latest("history_id").history_id
        edit(ordinance, publication_state=PublicationState.PUBLISHED)

        assert api_client.get(self.api_url(ordinance, draft)).status_code == 404
        assert api_client.get(self.api_url(other, ordinance.first_revision)).status_code == 404
        assert api_client.get(self.api_url(ordinance, 10**30)).status_code == 404
        bad = api_client.get(self.api_url(ordinance, "first"))
        assert bad.status_code == 400
        assert "The revision must be a positive whole number" in bad.json()["revision"][0]

    def test_the_api_source_revision(self, api_client):
        source = SourceFactory(record=AgencyFactory(), title="The first title")
        old = source.history.latest("history_id").history_id
        source.title = "The second title"
        source.save()
        url = reverse("api:source-detail", kwargs={"pk": source.pk})

        body = api_client.get(url, {"revision": old}).json()

        assert body["title"] == "The first title"
        assert body["revision"]["number"] == old
        assert api_client.get(url, {"revision": "0"}).status_code == 400
        assert Source.objects.get(pk=source.pk).title == "The second title"

    def test_the_schema_documents_the_revision_parameter(self, api_client):
        schema = api_client.get(reverse("schema"), {"format": "json"}).json()

        for path in (
            "/api/v1/jurisdictions/{slug}/",
            "/api/v1/agreements/{slug}/",
            "/api/v1/sources/{id}/",
        ):
            parameters = schema["paths"][path]["get"]["parameters"]
            assert any(p["name"] == "revision" for p in parameters), path
