"""The synthetic dataset: its size, its shape, its validity, its determinism, its refusals."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, JurisdictionKind, Ordinance
from policytracker.models import PublicationState, Source
from policytracker.synthetic import RECORD_MODELS, record_counts
from tests.factories import JurisdictionFactory

RECORDS = 300
PLACE_KINDS = {
    JurisdictionKind.CITY,
    JurisdictionKind.TOWN,
    JurisdictionKind.VILLAGE,
    JurisdictionKind.BOROUGH,
    JurisdictionKind.TOWNSHIP,
}
MODELS = {
    "jurisdiction": Jurisdiction,
    "agency": Agency,
    "ordinance": Ordinance,
    "agreement": Agreement,
    "statement": Statement,
}


def generate(records=RECORDS, seed=7):
    output = StringIO()
    call_command("generate_synthetic", records=records, seed=seed, stdout=output)
    return output.getvalue()


@pytest.fixture
def dataset(db):
    return generate()


class Rollback(Exception):
    pass


def generate_and_read(seed):
    """Generate, read the slugs and titles, and roll the database back to empty."""
    try:
        with transaction.atomic():
            generate(seed=seed)
            snapshot = {
                name: list(model.objects.order_by("slug").values_list("slug", "summary"))
                for name, model in MODELS.items()
            }
            snapshot["titles"] = sorted(Statement.objects.values_list("title", flat=True))
            snapshot["sources"] = sorted(Source.objects.values_list("title", "url"))
            raise Rollback
    except Rollback:
        pass
    return snapshot


def test_record_counts_add_up_to_the_records_asked_for():
    counts = record_counts(RECORDS)
    assert sum(counts.values()) == RECORDS
    assert counts == {
        "jurisdiction": 30,
        "agency": 60,
        "ordinance": 75,
        "agreement": 45,
        "statement": 90,
    }


def test_generate_synthetic_counts_by_type_match_the_split(dataset):
    for name, count in record_counts(RECORDS).items():
        assert MODELS[name].objects.count() == count, name
    assert "Synthetic data generated" in dataset


def test_generate_synthetic_every_record_published_with_one_to_three_sources(dataset):
    for name, model in MODELS.items():
        assert not model.objects.exclude(publication_state=PublicationState.PUBLISHED).exists()
        counts = model.objects.annotate(n=Count("sources")).values_list("n", flat=True)
        assert set(counts) <= {1, 2, 3}, name


def test_generate_synthetic_places_form_nation_state_county_place(dataset):
    nation = Jurisdiction.objects.get(parent=None)
    assert nation.kind == JurisdictionKind.NATION
    states = Jurisdiction.objects.filter(kind=JurisdictionKind.STATE)
    assert states.exists()
    assert set(states.values_list("parent", flat=True)) == {nation.pk}
    assert all(len(fips) == 2 for fips in states.values_list("fips", flat=True))
    counties = Jurisdiction.objects.filter(kind=JurisdictionKind.COUNTY).select_related("parent")
    assert counties.exists()
    assert {county.parent.kind for county in counties} == {JurisdictionKind.STATE}
    places = Jurisdiction.objects.filter(kind__in=PLACE_KINDS).select_related("parent")
    assert places.exists()
    assert {place.parent.kind for place in places} == {JurisdictionKind.COUNTY}
    for place in places:
        assert place.fips.startswith(place.parent.parent.fips)
        assert place.ocd_id.startswith(place.parent.parent.ocd_id + "/place:")
    assert (
        places.count() + counties.count() + states.count() + 1
        == record_counts(RECORDS)["jurisdiction"]
    )


def test_generate_synthetic_agreements_join_a_local_and_a_federal_agency(dataset):
    for agreement in Agreement.objects.select_related("local_party", "federal_party"):
        assert agreement.federal_party.is_federal
        assert not agreement.local_party.is_federal


def test_generate_synthetic_federal_agencies_keep_their_chain_of_command(dataset):
    hsi = Agency.objects.get(abbreviation="HSI")
    assert [agency.abbreviation for agency in hsi.chain_of_command()] == ["ICE", "DHS"]


def test_generate_synthetic_statements_name_speakers_and_what_they_are_about(dataset):
    assert Statement.objects.exclude(speaker_name="").exists()
    assert Statement.objects.filter(speaker_agency__isnull=False).exists()
    assert Statement.objects.filter(about_jurisdictions__isnull=False).exists()


def test_generate_synthetic_sample_of_each_type_passes_full_clean(dataset):
    for model in RECORD_MODELS:
        for record in model.objects.order_by("pk")[:5]:
            record.full_clean()
        for record in model.objects.order_by("-pk")[:5]:
            record.full_clean()


def test_generate_synthetic_same_seed_same_data(db):
    first = generate_and_read(seed=11)
    assert first == generate_and_read(seed=11)
    assert first != generate_and_read(seed=12)


def test_generate_synthetic_over_existing_records_refuses_and_changes_nothing(db):
    JurisdictionFactory()
    with pytest.raises(CommandError, match="already holds"):
        generate()
    assert Jurisdiction.objects.count() == 1
    assert not Agency.objects.exists()


def test_generate_synthetic_too_few_records_refused(db):
    with pytest.raises(CommandError, match="at least"):
        generate(records=10)
