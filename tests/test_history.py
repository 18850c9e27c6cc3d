"""Every write is kept in history, whatever its path; staff compare and revert; the public
sees published revisions with the fields they changed."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.history import one_change
from policytracker.models import Citation, Source
from policytracker.revisions import ChangeSet, recent_changes
from policytracker.services import record_set_publication, record_upsert
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CityFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_edit_is_kept_with_who_and_why(staff_client, staff_user):
    ordinance = OrdinanceFactory(title="Welcoming City Ordinance")
    SourceFactory(record=ordinance)
    page = staff_client.get(admin_url(Ordinance, "change", ordinance.pk))

    response = staff_client.post(
        admin_url(Ordinance, "change", ordinance.pk),
        form_data(page, title="Welcoming City Ordinance (as amended)", change_reason="Amended"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    latest, first = ordinance.history.all()[:2]
    assert (
        latest.history_type,
        latest.title,
        latest.history_user,
        latest.history_change_reason,
    ) == (
        "~",
        "Welcoming City Ordinance (as amended)",
        staff_user,
        "Amended",
    )
    assert first.title == "Welcoming City Ordinance"
    assert latest.changed_fields == ["title"]


def test_admin_delete_is_kept_in_history(admin_client):
    agency = AgencyFactory(name="Gone Police Department")

    response = admin_client.post(admin_url(Agency, "delete", agency.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Agency.objects.filter(pk=agency.pk).exists()
    deleted = Agency.history.filter(id=agency.pk).first()
    assert (deleted.history_type, deleted.name) == ("-", "Gone Police Department")


def test_api_write_is_kept_with_the_token_user_and_reason(staff_user, chain):
    from rest_framework.authtoken.models import Token

    agency = AgencyFactory(jurisdiction=chain.city, name="Old name")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")

    response = client.patch(
        reverse("api:agency-detail", kwargs={"slug": agency.slug}),
        {"name": "New name"},
        format="json",
        HTTP_X_CHANGE_REASON="Renamed by council",
    )

    assert response.status_code == 200, response.json()
    latest = agency.history.first()
    assert (latest.name, latest.history_user, latest.history_change_reason) == (
        "New name",
        staff_user,
        "Renamed by council",
    )


def test_code_writes_and_source_edits_are_kept(chain):
    agency, _ = record_upsert(
        model=Agency,
        lookup={"slug": "county-sheriff"},
        values={"name": "Sheriff", "kind": "sheriff", "jurisdiction": chain.county},
    )
    source = SourceFactory(record=agency, title="First title")
    source.title = "Second title"
    source.save()
    Agency.objects.filter(pk=agency.pk)  # reads leave no trace

    assert [row.history_type for row in agency.history.all()] == ["+"]
    assert [row.title for row in Source.history.filter(id=source.pk)] == [
        "Second title",
        "First title",
    ]


def test_many_to_many_change_is_kept_and_named(chain):
    statement = StatementFactory()
    statement.about_jurisdictions.set([chain.city])

    latest = statement.history.first()

    assert latest.changed_fields == ["about_jurisdictions"]
    assert [row.jurisdiction for row in latest.about_jurisdictions.all()] == [chain.city]


def test_admin_history_page_lists_changes_and_compares_two_versions(admin_client):
    ordinance = OrdinanceFactory(title="First title", summary="Same")
    ordinance.title = "Second title"
    ordinance.save()
    new, old = ordinance.history.all()[:2]

    history = admin_client.get(admin_url(Ordinance, "history", ordinance.pk))
    compare = admin_client.get(
        admin_url(Ordinance, "history_compare", ordinance.pk),
        {"old": old.history_id, "new": new.history_id},
    )

    assert history.status_code == 200
    assert "Compare two versions" in history.content.decode()
    assert compare.status_code == 200
    assert [(c["field"], c["old"], c["new"]) for c in compare.context["changes"]] == [
        ("title", "First title", "Second title")
    ]


def test_admin_history_page_lists_citations_added_changed_and_removed(admin_client):
    ordinance = OrdinanceFactory()
    SourceFactory(record=ordinance, title="Municipal code", locator="§ 2-173")
    SourceFactory(record=OrdinanceFactory(), title="Another record's source")
    citation = Citation.objects.get(ordinance=ordinance)
    citation.excerpt = "No agent shall…"
    citation.save()
    citation.delete()

    history = admin_client.get(admin_url(Ordinance, "history", ordinance.pk))

    changes = history.context["citation_changes"]
    assert [change.history_type for change in changes] == ["-", "~", "+"]
    html = history.content.decode()
    assert "Municipal code" in html and "§ 2-173" in html and "No agent shall…" in html
    assert "Another record&#x27;s source" not in html


def test_admin_compare_with_unknown_versions_is_404(admin_client):
    ordinance = OrdinanceFactory()

    response = admin_client.get(
        admin_url(Ordinance, "history_compare", ordinance.pk), {"old": "x", "new": "999999"}
    )

    assert response.status_code == 404


def test_admin_reverts_to_an_earlier_version(admin_client):
    agreement = AgreementFactory(title="Original title")
    SourceFactory(record=agreement)
    agreement.title = "Mistaken title"
    agreement.save()
    original = agreement.history.last()
    url = admin_url(Agreement, "simple_history", agreement.pk, original.history_id)
    page = admin_client.get(url)

    response = admin_client.post(url, form_data(page, change_reason="Undo the mistake"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    agreement.refresh_from_db()
    assert agreement.title == "Original title"
    assert agreement.history.first().history_change_reason == "Undo the mistake"


# The public side


def test_record_changes_page_lists_published_revisions_without_staff_names(client, staff_user):
    agency = AgencyFactory(name="Before", publication_state="draft")
    SourceFactory(record=agency)
    agency.name = "Still a draft"
    agency.save()
    record_set_publication(record=agency, state="published")
    agency.name = "After"
    agency._change_reason = "Official name"
    agency.save()
    Agency.history.update(history_user=staff_user)

    response = client.get(reverse("agencies:changes", kwargs={"slug": agency.slug}))

    assert response.status_code == 200
    rows = [
        (str(r.change_kind()), r.changed_field_labels(), r.history_change_reason)
        for r in response.context["object_list"]
    ]
    assert rows == [("changed", ["name"], "Official name"), ("published", [], None)]
    assert staff_user.username not in response.content.decode()


def test_record_changes_page_names_staff_when_configured(client, settings, staff_user):
    settings.HISTORY_SHOW_STAFF_NAMES = True
    agency = AgencyFactory()
    Agency.history.update(history_user=staff_user)

    response = client.get(reverse("agencies:changes", kwargs={"slug": agency.slug}))

    assert staff_user.username in response.content.decode()


def test_record_changes_page_of_a_draft_is_404_for_the_public(client):
    agency = AgencyFactory(publication_state="draft")

    response = client.get(reverse("agencies:changes", kwargs={"slug": agency.slug}))

    assert response.status_code == 404


def test_detail_page_links_its_changes(client):
    agency = AgencyFactory()

    response = client.get(agency.get_absolute_url())

    assert reverse("agencies:changes", kwargs={"slug": agency.slug}) in response.content.decode()


def test_recent_changes_page_and_feed_list_published_changes_only(client):
    CityFactory(name="Springfield")
    published = OrdinanceFactory(title="A published rule")
    published.summary = "A new summary."
    published.save()
    OrdinanceFactory(title="A draft rule", publication_state="draft")

    page = client.get(reverse("changes"))
    feed = client.get(reverse("feeds:revisions"))

    revisions = {}
    for revision in page.context["revisions"]:  # newest first: keep each record's latest
        revisions.setdefault(str(revision.instance), revision)
    assert "A draft rule" not in revisions
    assert revisions["A published rule"].changed_field_labels() == ["summary"]
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "Changed: summary." in body
    assert "A draft rule" not in body


@pytest.mark.parametrize("size", [2, 12])
def test_recent_changes_and_record_changes_make_constant_queries(
    client, django_assert_num_queries, size
):
    for _ in range(size):
        agreement = AgreementFactory()
        agreement.title += " (amended)"
        agreement.save()
        StatementFactory()
    # For each record type, its changes; for the four that have some (the agreements' parties
    # and their places too), its revisions shown alone.
    with django_assert_num_queries(9):
        assert client.get(reverse("changes")).status_code == 200
    with django_assert_num_queries(9):
        assert client.get(reverse("feeds:revisions")).status_code == 200
    with django_assert_num_queries(3):  # the record, the count, the page
        response = client.get(reverse("agreements:changes", kwargs={"slug": agreement.slug}))
    assert response.status_code == 200


def test_withdrawn_record_keeps_its_page_with_a_notice_and_leaves_lists(client, chain):
    reviewer = UserFactory(permissions=["jurisdictions.publish_agency"])
    agency = AgencyFactory(name="Withdrawn PD", jurisdiction=chain.city)
    SourceFactory(record=agency)

    record_set_publication(record=agency, state="withdrawn", user=reviewer)
    detail = client.get(agency.get_absolute_url())
    listing = client.get(reverse("agencies:list"))
    changes = client.get(reverse("agencies:changes", kwargs={"slug": agency.slug}))

    assert detail.status_code == 200
    assert "Withdrawn." in detail.content.decode()
    assert agency not in listing.context["object_list"]
    assert str(changes.context["object_list"][0].change_kind()) == "withdrawn"


def test_statement_public_changes_name_the_many_to_many_field(client, chain):
    statement = StatementFactory()
    statement.about_jurisdictions.set([chain.city])

    response = Client().get(reverse("statements:changes", kwargs={"slug": statement.slug}))

    assert response.context["object_list"][0].changed_field_labels() == ["about jurisdictions"]
    assert Statement.history.count() == 2


def test_withdrawn_record_keeps_its_api_address_and_leaves_the_api_list(api_client, chain):
    agency = AgencyFactory(jurisdiction=chain.city, publication_state="withdrawn")

    detail = api_client.get(reverse("api:agency-detail", kwargs={"slug": agency.slug}))
    listing = api_client.get(reverse("api:agency-list"))

    assert (detail.status_code, detail.json()["publication_state"]) == (200, "withdrawn")
    assert agency.slug not in [row["slug"] for row in listing.json()["results"]]


# A slug changed: the old address leads to the new one, from the history.

RENAMED = [
    ("jurisdictions", CityFactory),
    ("agencies", AgencyFactory),
    ("ordinances", OrdinanceFactory),
    ("agreements", AgreementFactory),
    ("statements", StatementFactory),
]


def rename(record, slug):
    record.slug = slug
    record.save()
    return record


@pytest.mark.parametrize(("namespace", "factory_class"), RENAMED, ids=[n for n, _f in RENAMED])
@pytest.mark.parametrize("page", ["detail", "changes"])
def test_a_changed_slug_redirects_permanently_to_the_new_address(
    client, namespace, factory_class, page
):
    record = rename(factory_class(slug="old-name"), "new-name")

    response = client.get(reverse(f"{namespace}:{page}", kwargs={"slug": "old-name"}))

    assert response.status_code == 301
    assert response["Location"] == reverse(f"{namespace}:{page}", kwargs={"slug": "new-name"})
    assert client.get(response["Location"]).status_code == 200
    assert record.history.count() == 2


@pytest.mark.parametrize(("namespace", "factory_class"), RENAMED, ids=[n for n, _f in RENAMED])
def test_a_changed_slug_redirects_permanently_in_the_api(api_client, namespace, factory_class):
    basename = factory_class._meta.model._meta.model_name
    rename(factory_class(slug="old-name"), "new-name")

    response = api_client.get(reverse(f"api:{basename}-detail", kwargs={"slug": "old-name"}))

    assert response.status_code == 301
    assert response["Location"] == reverse(f"api:{basename}-detail", kwargs={"slug": "new-name"})


def test_renamed_twice_both_old_slugs_lead_to_the_current_one_keeping_the_query(client):
    agreement = rename(rename(AgreementFactory(slug="first"), "second"), "third")

    for old in ("first", "second"):
        response = client.get(reverse("agreements:changes", kwargs={"slug": old}), {"page": "1"})
        assert response.status_code == 301
        assert response["Location"] == (
            reverse("agreements:changes", kwargs={"slug": agreement.slug}) + "?page=1"
        )


def test_a_slug_taken_over_by_another_record_shows_that_record(client):
    rename(AgreementFactory(slug="shared", title="First holder"), "first-holder")
    AgreementFactory(slug="shared", title="Second holder")

    response = client.get(reverse("agreements:detail", kwargs={"slug": "shared"}))

    assert response.status_code == 200
    assert response.context["object"].title == "Second holder"


def test_the_place_feed_follows_a_renamed_place(client):
    rename(CityFactory(slug="old-town"), "new-town")

    response = client.get(reverse("feeds:place", kwargs={"slug": "old-town"}))

    assert response.status_code == 301
    assert response["Location"] == reverse("feeds:place", kwargs={"slug": "new-town"})


@pytest.mark.parametrize("state", ["draft", "deleted"])
def test_an_old_slug_of_a_draft_or_deleted_record_stays_404_for_the_public(client, state):
    agreement = rename(AgreementFactory(slug="old-name"), "new-name")
    if state == "draft":
        Agreement.objects.filter(pk=agreement.pk).update(publication_state="draft")
    else:
        agreement.delete()

    response = client.get(reverse("agreements:detail", kwargs={"slug": "old-name"}))

    assert response.status_code == 404
    assert "new-name" not in response.content.decode()


def test_a_draft_renamed_redirects_staff_who_may_see_it(staff_client):
    rename(AgreementFactory(slug="old-name", publication_state="draft"), "new-name")

    response = staff_client.get(reverse("agreements:detail", kwargs={"slug": "old-name"}))

    assert response.status_code == 301


def test_a_slug_no_record_ever_had_is_404_after_two_queries(client, django_assert_num_queries):
    AgreementFactory(slug="exists")

    with django_assert_num_queries(2):  # the record, then its history: no such slug
        response = client.get(reverse("agreements:detail", kwargs={"slug": "never"}))

    assert response.status_code == 404


def test_a_slug_a_record_had_only_as_a_draft_stays_unknown_to_the_public(client, staff_client):
    agreement = AgreementFactory(slug="working-title", publication_state="draft")
    rename(agreement, "final-title")
    Agreement.objects.filter(pk=agreement.pk).update(publication_state="published")
    old = reverse("agreements:detail", kwargs={"slug": "working-title"})

    assert client.get(old).status_code == 404
    assert staff_client.get(old).status_code == 301  # staff saw the draft


def test_a_redirect_is_kept_an_hour_and_only_privately_for_a_draft(client, staff_client):
    rename(AgreementFactory(slug="old-name"), "new-name")
    rename(AgreementFactory(slug="old-draft", publication_state="draft"), "new-draft")

    public = client.get(reverse("agreements:detail", kwargs={"slug": "old-name"}))
    draft = staff_client.get(reverse("agreements:detail", kwargs={"slug": "old-draft"}))

    assert public["Cache-Control"] == "max-age=3600"
    assert draft.status_code == 301
    assert sorted(draft["Cache-Control"].split(", ")) == ["max-age=3600", "private"]


def test_the_place_feed_does_not_redirect_to_a_place_it_would_not_show(client):
    place = rename(CityFactory(slug="old-town"), "new-town")
    Jurisdiction.objects.filter(pk=place.pk).update(publication_state="withdrawn")

    response = client.get(reverse("feeds:place", kwargs={"slug": "old-town"}))

    assert response.status_code == 404


# Several records written as one change


def test_one_change_gives_its_rows_one_moment_and_its_reason_unless_they_have_their_own():
    with one_change("Loaded from a list"):
        agency = AgencyFactory()
        ordinance = OrdinanceFactory()
        ordinance.title += " (amended)"
        ordinance._change_reason = "Amended"
        ordinance.save()
    later = AgencyFactory()

    rows = [*agency.history.all(), *ordinance.history.all()]
    assert {row.history_date for row in rows} == {agency.history.get().history_date}
    assert [row.history_change_reason for row in ordinance.history.all()] == [
        "Amended",
        "Loaded from a list",
    ]
    assert later.history.get().history_date > agency.history.get().history_date
    assert later.history.get().history_change_reason is None


def test_recent_changes_list_one_change_of_several_records_once_between_the_others(client):
    before = AgencyFactory(name="Before PD")
    with one_change("Loaded from a list"):
        place = CityFactory()  # and its county, state and nation
        agency = AgencyFactory(jurisdiction=place)
        statement = StatementFactory(speaker_agency=agency)
        statement.about_jurisdictions.set([place])
    OrdinanceFactory(title="After rule", jurisdiction=place)

    changes = client.get(reverse("changes")).context["revisions"]

    names = [str(c) if isinstance(c, ChangeSet) else str(c.instance) for c in changes]
    assert names == ["After rule", "6 records", "Before PD", str(before.jurisdiction)]
    change_set = changes[1]
    assert change_set.record_types() == [(4, "jurisdictions"), (1, "agency"), (1, "statement")]
    assert str(change_set.change_kind()) == "published"


def test_recent_changes_count_a_change_larger_than_the_page_as_one():
    with one_change("Imported"):
        AgencyFactory.create_batch(4, jurisdiction=JurisdictionFactory())
    alone = AgencyFactory(name="Alone PD", jurisdiction=JurisdictionFactory(name="Alone land"))

    changes = recent_changes([Jurisdiction, Agency], limit=3)

    assert [str(c) if isinstance(c, ChangeSet) else str(c.instance) for c in changes] == [
        "Alone PD",
        "Alone land",
        "5 records",
    ]
    assert alone.history.exists()


def test_recent_changes_name_the_staff_of_a_change_set_when_configured(client, settings):
    settings.HISTORY_SHOW_STAFF_NAMES = True
    staff = UserFactory(first_name="Ada", last_name="Clerk")
    with one_change("Loaded"):
        for _ in range(2):
            agency = AgencyFactory.build(jurisdiction=JurisdictionFactory())
            agency._history_user = staff
            agency.save()

    html = client.get(reverse("changes")).content.decode()

    assert "Ada Clerk" in html


@pytest.mark.parametrize("size", [2, 12])
def test_recent_changes_with_a_change_set_make_constant_queries(
    client, django_assert_num_queries, size
):
    with one_change("Loaded"):
        for _ in range(size):
            StatementFactory()
    AgreementFactory()
    # Each type's changes; the revisions shown alone of the three types the agreement wrote.
    with django_assert_num_queries(8):
        assert client.get(reverse("changes")).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("feeds:revisions")).status_code == 200


def test_recent_changes_naming_staff_show_a_revision_written_by_code_without_a_name(
    client, settings
):
    settings.HISTORY_SHOW_STAFF_NAMES = True
    AgencyFactory(name="Imported PD")  # written by code: no user

    response = client.get(reverse("changes"))

    assert response.status_code == 200
    assert "Imported PD" in response.content.decode()
