"""The demo data: what the seeds state, each record cited, and a second load changes nothing."""

import datetime
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command

from agreements.models import Agreement, AgreementKind, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.dates import DatePrecision
from policytracker.models import Source
from tests.worlds import built_once

pytestmark = pytest.mark.django_db

RECORD_MODELS = [Jurisdiction, Agency, Ordinance, Agreement, Statement]


def snapshot():
    """Every demo row, every field (timestamps too), as the serializer writes them."""
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in [*RECORD_MODELS, Source]
    }


def load():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module; each test's own writes are undone after it."""
    yield from built_once(django_db_blocker, load)


def test_load_demo_run_twice_changes_nothing(demo):
    before = snapshot()

    load()

    assert snapshot() == before


def test_load_demo_restores_an_edited_record(demo):
    Ordinance.objects.filter(slug="chicago-welcoming-city-ordinance").update(title="Changed")

    load()

    assert Ordinance.objects.get(slug="chicago-welcoming-city-ordinance").title == (
        "Welcoming City Ordinance"
    )


def test_load_demo_places_form_the_chain_from_chicago_to_the_nation(demo):
    chicago = Jurisdiction.objects.get(slug="chicago")

    assert [place.slug for place in chicago.ancestors()] == [
        "united-states",
        "illinois",
        "cook-county",
    ]
    assert chicago.ocd_id == "ocd-division/country:us/state:il/place:chicago"
    assert chicago.fips == "1714000"


@pytest.mark.parametrize(
    ("slug", "parent"),
    [
        ("ice-homeland-security-investigations", "immigration-and-customs-enforcement"),
        ("ice-enforcement-and-removal-operations", "immigration-and-customs-enforcement"),
        ("immigration-and-customs-enforcement", "department-of-homeland-security"),
        ("customs-and-border-protection", "department-of-homeland-security"),
    ],
)
def test_load_demo_federal_components_sit_under_their_parents(demo, slug, parent):
    assert Agency.objects.get(slug=slug).parent.slug == parent


def test_load_demo_every_record_is_published_and_cited(demo):
    for model in RECORD_MODELS:
        records = model.objects.all()
        assert records.exists(), model
        for record in records:
            assert record.is_published, record
            assert record.sources.exists(), f"{record} has no source"


def test_load_demo_welcoming_city_ordinance_is_dated_to_the_month(demo):
    ordinance = Ordinance.objects.get(slug="chicago-welcoming-city-ordinance")

    assert ordinance.adopted_on == datetime.date(2012, 9, 1)
    assert ordinance.adopted_on_precision == DatePrecision.MONTH
    assert str(ordinance.adopted) == "September 2012"
    assert ordinance in Ordinance.objects.in_force(on=datetime.date(2019, 7, 15))


def test_load_demo_undated_events_stay_undated(demo):
    order = Ordinance.objects.get(slug="chicago-mayors-order-to-police-on-ice")
    masters = Statement.objects.get(slug="cook-county-dhsem-director-on-immigration-task-force")

    assert order.adopted_on is None and order.effective_on is None
    assert masters.made_on is None
    assert "last Friday" in order.citations.get().excerpt


def test_load_demo_customs_agreement_excludes_civil_immigration_law(demo):
    agreement = Agreement.objects.get(slug="chicago-police-hsi-customs-cross-designation")

    assert agreement.kind == AgreementKind.CUSTOMS_CROSS_DESIGNATION
    assert agreement.local_party.abbreviation == "CPD"
    assert agreement.federal_party.abbreviation == "HSI"
    assert "civil immigration law" in agreement.exclusions.lower()
    assert Agreement.objects.for_jurisdiction(Jurisdiction.objects.get(slug="chicago")).exists()


def test_load_demo_statements_have_their_speakers_and_dates(demo):
    iacp = Statement.objects.get(slug="iacp-statement-on-immigration-related-executive-orders")
    ilacp = Statement.objects.get(slug="ilacp-statement-on-immigrants-and-local-law-enforcement")

    assert str(iacp.made) == "January 30, 2017"
    assert str(ilacp.made) == "March 23, 2017"
    assert list(ilacp.about_statements.all()) == [iacp]
    speakers = set(Statement.objects.values_list("speaker_agency__abbreviation", flat=True))
    assert {"IACP", "ILACP", "CPD", "DHSEM", "ICE"} <= speakers
    assert Statement.objects.filter(speaker_name="Lori Lightfoot").count() == 2


def test_load_demo_sources_name_their_seed_documents(demo):
    seeds = {"000", "001", "002", "003", "004"}
    cited = {
        prefix
        for notes in Source.objects.values_list("notes", flat=True)
        for prefix in seeds
        if f"Seed document {prefix}_" in notes
    }

    assert cited == seeds


def test_load_demo_each_seed_is_one_source_cited_by_every_record_it_supports(demo):
    titles = list(Source.objects.values_list("title", flat=True))
    chicago_police = Source.objects.get(title__startswith="Cooperation between Chicago police")

    assert len(titles) == len(set(titles)) == 6  # five seed documents and the OCD list
    assert chicago_police.citations.count() > 1
    assert all(citation.excerpt for citation in chicago_police.citations.all())
