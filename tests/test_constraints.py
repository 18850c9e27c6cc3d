"""The database itself refuses rows that break the rules, whatever path wrote them.

Each case writes straight to the database (Model.objects.create or QuerySet.update, no
form, no full_clean) a row that breaks exactly one named constraint, and checks that the
database refuses it, that the error names that constraint, and that the table is unchanged.
"""

import datetime

import factory
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, UniqueConstraint

from agreements.models import Agreement, Statement
from jurisdictions.models import (
    Agency,
    Containment,
    Jurisdiction,
    JurisdictionKind,
    LiesWithin,
    Ordinance,
)
from policytracker.models import Citation, ProposedChange, ReviewFlag, Source
from policytracker.profiles.models import DimensionReview, Provision
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    CityFactory,
    DimensionReviewFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    ProvisionFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)

RECORD_APPS = ("policytracker", "jurisdictions", "agreements", "profiles")
SEPT_1 = datetime.date(2012, 9, 1)
SEPT_15 = datetime.date(2012, 9, 15)
SEPT_TIME = datetime.datetime(2012, 9, 15, tzinfo=datetime.UTC)


def table(model):
    return list(model.objects.order_by("pk").values())


def update(record, **values):
    """A write that skips the model: one UPDATE of this row."""
    return lambda: type(record).objects.filter(pk=record.pk).update(**values)


def create(model, factory_class, **values):
    """A write that skips validation: one INSERT of the factory's fields with `values`."""
    fields = factory.build(dict, FACTORY_CLASS=factory_class, **values)
    return lambda: model.objects.create(**fields)


def proposed_change():
    ordinance = OrdinanceFactory()
    return ProposedChange.objects.create(
        record=ordinance, changes={"title": "New"}, base_version=1, proposed_by=UserFactory()
    )


def containment_again(city):
    """A second row saying that the city lies within its county."""
    return lambda: Containment.objects.create(place=city, within=city.parent, depth=5)


def lies_within_twice(city, county):
    LiesWithin.objects.create(place=city, within=county)
    return lambda: LiesWithin.objects.create(place=city, within=county)


def review_flag(**values):
    return ReviewFlag.objects.create(
        record=AgreementFactory(),
        field="signed_on",
        raw_value="7/7/25",
        reason="no single reading as a date",
        **values,
    )


# Each case: (constraint name, model, a function that sets up valid rows and returns the
# invalid write). Sets up inside the test, so every case starts from an empty database.
CASES = [
    # ReviewFlag
    ("reviewflag_field_not_empty", ReviewFlag, lambda: update(review_flag(), field="")),
    ("reviewflag_reason_not_empty", ReviewFlag, lambda: update(review_flag(), reason="")),
    (
        "reviewflag_reviewer_has_a_date",
        ReviewFlag,
        lambda: update(review_flag(), reviewed_by=UserFactory()),
    ),
    (
        "reviewflag_one_per_value",
        ReviewFlag,
        lambda: (
            flag := review_flag(),
            lambda: ReviewFlag.objects.create(
                content_type=flag.content_type,
                object_id=flag.object_id,
                field=flag.field,
                raw_value=flag.raw_value,
                reason="again",
            ),
        )[1],
    ),
    # ProposedChange
    (
        "proposedchange_state_valid",
        ProposedChange,
        lambda: (
            change := proposed_change(),
            update(change, state="approved", decided_by=change.proposed_by, decided_at=SEPT_TIME),
        )[1],
    ),
    (
        "proposedchange_decided_has_who_and_when",
        ProposedChange,
        lambda: update(proposed_change(), state="published"),
    ),
    # Source and Citation
    (
        "citation_cites_exactly_one_record",
        Citation,
        lambda: update(CitationFactory(), jurisdiction=None),
    ),
    (
        "citation_cites_exactly_one_record",
        Citation,
        lambda: update(CitationFactory(), agency=AgencyFactory()),
    ),
    ("source_title_not_empty", Source, lambda: update(SourceFactory(), title="")),
    ("source_kind_valid", Source, lambda: update(SourceFactory(), kind="rumour")),
    # Jurisdiction
    (
        "jurisdiction_ocd_id_unique",
        Jurisdiction,
        lambda: (
            JurisdictionFactory(ocd_id="ocd-division/country:us"),
            create(Jurisdiction, JurisdictionFactory, ocd_id="ocd-division/country:us"),
        )[1],
    ),
    (
        "jurisdiction_fips_unique",
        Jurisdiction,
        lambda: (
            JurisdictionFactory(fips="17"),
            create(Jurisdiction, JurisdictionFactory, fips="17"),
        )[1],
    ),
    ("jurisdiction_kind_valid", Jurisdiction, lambda: update(CityFactory(), kind="planet")),
    (
        "jurisdiction_ocd_id_format",
        Jurisdiction,
        lambda: update(JurisdictionFactory(), ocd_id="country:us/state:il"),
    ),
    ("jurisdiction_fips_digits", Jurisdiction, lambda: update(JurisdictionFactory(), fips="17a")),
    ("jurisdiction_fips_digits", Jurisdiction, lambda: update(JurisdictionFactory(), fips="1")),
    (
        "jurisdiction_has_parent_unless_nation",
        Jurisdiction,
        lambda: create(Jurisdiction, JurisdictionFactory, kind=JurisdictionKind.COUNTY),
    ),
    (
        "jurisdiction_has_parent_unless_nation",
        Jurisdiction,
        lambda: update(CityFactory(), parent=None),
    ),
    (
        "jurisdiction_not_own_parent",
        Jurisdiction,
        lambda: update(CityFactory(), parent=F("pk")),
    ),
    ("jurisdiction_name_not_empty", Jurisdiction, lambda: update(JurisdictionFactory(), name="")),
    # Containment: derived from the parents, and no raw write can make it lie.
    ("containment_unique", Containment, lambda: containment_again(CityFactory())),
    (
        "lieswithin_unique",
        LiesWithin,
        lambda: lies_within_twice(city := CityFactory(), JurisdictionFactory(parent=city.parent)),
    ),
    (
        "lieswithin_not_itself",
        LiesWithin,
        lambda: (lambda city: lambda: LiesWithin.objects.create(place=city, within=city))(
            CityFactory()
        ),
    ),
    (
        "containment_depth_zero_is_itself",
        Containment,
        lambda: update(CityFactory().containments.get(depth=1), depth=0),
    ),
    (
        "jurisdiction_publication_state_valid",
        Jurisdiction,
        lambda: update(JurisdictionFactory(), publication_state="hidden"),
    ),
    # Agency
    ("agency_kind_valid", Agency, lambda: update(AgencyFactory(), kind="militia")),
    ("agency_not_own_parent", Agency, lambda: update(AgencyFactory(), parent=F("pk"))),
    ("agency_name_not_empty", Agency, lambda: update(AgencyFactory(), name="")),
    (
        "agency_publication_state_valid",
        Agency,
        lambda: update(AgencyFactory(), publication_state="hidden"),
    ),
    (
        "agency_ori_unique",
        Agency,
        lambda: (AgencyFactory(ori="IL0160000"), update(AgencyFactory(), ori="IL0160000"))[1],
    ),
    ("agency_ori_format", Agency, lambda: update(AgencyFactory(), ori="il016")),
    # Ordinance
    ("ordinance_kind_valid", Ordinance, lambda: update(OrdinanceFactory(), kind="decree")),
    ("ordinance_status_valid", Ordinance, lambda: update(OrdinanceFactory(), status="rumoured")),
    ("ordinance_title_not_empty", Ordinance, lambda: update(OrdinanceFactory(), title="")),
    (
        "ordinance_adopted_on_not_before_introduced_on",
        Ordinance,
        lambda: update(
            OrdinanceFactory(),
            introduced_on=SEPT_15,
            introduced_on_precision="day",
            adopted_on=SEPT_1,
            adopted_on_precision="day",
        ),
    ),
    (
        "ordinance_effective_on_not_before_adopted_on",
        Ordinance,
        lambda: update(
            OrdinanceFactory(),
            adopted_on=SEPT_15,
            adopted_on_precision="day",
            effective_on=SEPT_1,
            effective_on_precision="day",
        ),
    ),
    (
        "ordinance_repealed_on_not_before_adopted_on",
        Ordinance,
        lambda: update(
            OrdinanceFactory(),
            adopted_on=SEPT_15,
            adopted_on_precision="day",
            repealed_on=SEPT_1,
            repealed_on_precision="day",
        ),
    ),
    (
        "ordinance_repealed_on_not_before_effective_on",
        Ordinance,
        lambda: update(
            OrdinanceFactory(),
            effective_on=SEPT_15,
            effective_on_precision="day",
            repealed_on=SEPT_1,
            repealed_on_precision="day",
        ),
    ),
    (
        "ordinance_proposed_not_repealed",
        Ordinance,
        lambda: update(
            OrdinanceFactory(), status="proposed", repealed_on=SEPT_1, repealed_on_precision="day"
        ),
    ),
    ("ordinance_not_self", Ordinance, lambda: update(OrdinanceFactory(), replaces=F("pk"))),
    (
        "ordinance_publication_state_valid",
        Ordinance,
        lambda: update(OrdinanceFactory(), publication_state="hidden"),
    ),
    # Agreement
    ("agreement_kind_valid", Agreement, lambda: update(AgreementFactory(), kind="handshake")),
    ("agreement_status_valid", Agreement, lambda: update(AgreementFactory(), status="rumoured")),
    ("agreement_title_not_empty", Agreement, lambda: update(AgreementFactory(), title="")),
    (
        "agreement_two_parties",
        Agreement,
        lambda: update(AgreementFactory(), federal_party=F("local_party")),
    ),
    (
        "agreement_listing_id_unique",
        Agreement,
        lambda: (
            AgreementFactory(listing_id="287g-abc"),
            update(AgreementFactory(), listing_id="287g-abc"),
        )[1],
    ),
    (
        "agreement_listing_state_valid",
        Agreement,
        lambda: update(
            AgreementFactory(),
            listing_state="rumoured",
            first_listed_on=SEPT_1,
            last_listed_on=SEPT_1,
        ),
    ),
    (
        "agreement_listed_has_dates",
        Agreement,
        lambda: update(AgreementFactory(), listing_state="listed"),
    ),
    (
        "agreement_last_listed_not_before_first",
        Agreement,
        lambda: update(
            AgreementFactory(),
            first_listed_on=SEPT_15,
            last_listed_on=SEPT_1,
        ),
    ),
    (
        "agreement_two_parties",
        Agreement,
        lambda: (
            (agency := AgencyFactory()),
            create(Agreement, AgreementFactory, local_party=agency, federal_party=agency),
        )[1],
    ),
    *[
        (
            f"agreement_{field}_on_not_before_signed_on",
            Agreement,
            lambda field=field: update(
                AgreementFactory(),
                signed_on=SEPT_15,
                signed_on_precision="day",
                **{f"{field}_on": SEPT_1, f"{field}_on_precision": "day"},
            ),
        )
        for field in ("effective", "expires", "terminated")
    ],
    *[
        (
            f"agreement_{field}_on_not_before_effective_on",
            Agreement,
            lambda field=field: update(
                AgreementFactory(),
                effective_on=SEPT_15,
                effective_on_precision="day",
                **{f"{field}_on": SEPT_1, f"{field}_on_precision": "day"},
            ),
        )
        for field in ("expires", "terminated")
    ],
    (
        "agreement_publication_state_valid",
        Agreement,
        lambda: update(AgreementFactory(), publication_state="hidden"),
    ),
    # Statement
    (
        "statement_has_speaker",
        Statement,
        lambda: update(StatementFactory(speaker_name=""), speaker_agency=None),
    ),
    (
        "statement_has_speaker",
        Statement,
        lambda: create(Statement, StatementFactory, speaker_agency=None, speaker_name=""),
    ),
    ("statement_title_not_empty", Statement, lambda: update(StatementFactory(), title="")),
    ("statement_text_not_empty", Statement, lambda: update(StatementFactory(), text="")),
    (
        "statement_publication_state_valid",
        Statement,
        lambda: update(StatementFactory(), publication_state="hidden"),
    ),
    # Provision: in one rule, of the fixed questions and positions, a practice attributed
    (
        "provision_in_exactly_one_instrument",
        Provision,
        lambda: update(ProvisionFactory(), ordinance=None),
    ),
    (
        "provision_in_exactly_one_instrument",
        Provision,
        lambda: update(ProvisionFactory(), statement=StatementFactory()),
    ),
    (
        "provision_dimension_valid",
        Provision,
        lambda: update(ProvisionFactory(), dimension="weather"),
    ),
    (
        "provision_position_valid",
        Provision,
        lambda: update(ProvisionFactory(), position="ignores"),
    ),
    ("provision_basis_valid", Provision, lambda: update(ProvisionFactory(), basis="rumour")),
    (
        "provision_practice_is_attributed",
        Provision,
        lambda: update(ProvisionFactory(), basis="practice", reported_by=""),
    ),
    (
        "provision_written_is_quoted",
        Provision,
        lambda: create(
            Provision,
            ProvisionFactory,
            ordinance=OrdinanceFactory(),
            source=SourceFactory(),
            clause="",
        ),
    ),
    (
        "provision_ends_on_not_before_starts_on",
        Provision,
        lambda: update(
            ProvisionFactory(),
            starts_on=SEPT_15,
            starts_on_precision="day",
            ends_on=SEPT_1,
            ends_on_precision="day",
        ),
    ),
    # DimensionReview: once per question and place
    (
        "dimensionreview_once_per_place",
        DimensionReview,
        lambda: (
            review := DimensionReviewFactory(),
            lambda: DimensionReview.objects.create(
                jurisdiction=review.jurisdiction, dimension=review.dimension, reviewed_on=SEPT_1
            ),
        )[1],
    ),
    (
        "dimensionreview_dimension_valid",
        DimensionReview,
        lambda: update(DimensionReviewFactory(), dimension="weather"),
    ),
]

# Every precise date: a precision only with a date (and one of the three), no invented day.
PRECISE_DATES = [
    ("source", Source, SourceFactory, ["published_on"]),
    (
        "ordinance",
        Ordinance,
        OrdinanceFactory,
        ["introduced_on", "adopted_on", "effective_on", "repealed_on"],
    ),
    (
        "agreement",
        Agreement,
        AgreementFactory,
        ["signed_on", "effective_on", "expires_on", "terminated_on"],
    ),
    ("statement", Statement, StatementFactory, ["made_on"]),
    ("provision", Provision, ProvisionFactory, ["starts_on", "ends_on"]),
]
for prefix, model, factory_class, fields in PRECISE_DATES:
    for field in fields:
        precision = f"{field}_precision"
        CASES += [
            (
                f"{prefix}_{field}_precision_with_date",
                model,
                lambda f=factory_class, field=field, p=precision: update(
                    f(), **{field: SEPT_1, p: ""}
                ),
            ),
            (
                f"{prefix}_{field}_precision_with_date",
                model,
                lambda f=factory_class, field=field, p=precision: update(
                    f(), **{field: None, p: "month"}
                ),
            ),
            (
                f"{prefix}_{field}_precision_with_date",
                model,
                lambda f=factory_class, field=field, p=precision: update(
                    f(), **{field: SEPT_1, p: "week"}
                ),
            ),
            (
                f"{prefix}_{field}_month_starts_on_day_1",
                model,
                lambda f=factory_class, field=field, p=precision: update(
                    f(), **{field: SEPT_15, p: "month"}
                ),
            ),
            (
                f"{prefix}_{field}_year_starts_on_january_1",
                model,
                lambda f=factory_class, field=field, p=precision: update(
                    f(), **{field: SEPT_1, p: "year"}
                ),
            ),
        ]


def case_ids():
    seen = {}
    for name, _model, _setup in CASES:
        seen[name] = seen.get(name, 0) + 1
        yield name if seen[name] == 1 else f"{name}-{seen[name]}"


def model_constraints():
    for app_label in RECORD_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for constraint in model._meta.constraints:
                yield model, constraint


def expected_in_message(model, name):
    """What the database's error says about the constraint it enforced."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    if isinstance(constraint, UniqueConstraint) and connection.vendor == "sqlite":
        # SQLite names the columns of a unique index, not the index.
        columns = [model._meta.get_field(field).column for field in constraint.fields]
        return ", ".join(f"{model._meta.db_table}.{column}" for column in columns)
    return name


@pytest.mark.parametrize(("constraint", "model", "setup"), CASES, ids=list(case_ids()))
def test_database_refuses_row_breaking_constraint_and_table_is_unchanged(constraint, model, setup):
    invalid_write = setup()
    before = table(model)

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        invalid_write()

    assert expected_in_message(model, constraint) in str(caught.value)
    assert table(model) == before


def test_every_constraint_in_the_models_has_a_refusal_case():
    declared = {constraint.name for _model, constraint in model_constraints()}

    assert declared == {name for name, _model, _setup in CASES}


@pytest.mark.parametrize(
    ("model", "factory_class"),
    [
        (Jurisdiction, JurisdictionFactory),
        (Agency, AgencyFactory),
        (Ordinance, OrdinanceFactory),
        (Agreement, AgreementFactory),
        (Statement, StatementFactory),
    ],
)
def test_database_refuses_duplicate_slug_and_table_is_unchanged(model, factory_class):
    existing = factory_class()
    other = factory_class()
    before = table(model)

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=other.pk).update(slug=existing.slug)

    assert table(model) == before


def test_database_accepts_a_precise_date_at_each_precision():
    """The refusals above are not of every date: a well-formed one of each kind goes in."""
    ordinance = OrdinanceFactory(
        introduced_on=datetime.date(2012, 1, 1),
        introduced_on_precision="year",
        adopted_on=SEPT_1,
        adopted_on_precision="month",
        effective_on=SEPT_15,
        effective_on_precision="day",
    )

    assert Ordinance.objects.get(pk=ordinance.pk).effective_on == SEPT_15


@pytest.mark.parametrize(
    ("effective_on", "precision", "accepted"),
    [
        (datetime.date(2012, 1, 1), "year", True),  # "2012" may follow 2012-09-15
        (datetime.date(2012, 9, 1), "month", True),  # "September 2012" may too
        (datetime.date(2012, 9, 1), "day", False),  # but not the day 2012-09-01
        (datetime.date(2011, 1, 1), "year", False),  # nor "2011"
        (datetime.date(2012, 8, 1), "month", False),  # nor "August 2012"
    ],
)
def test_database_reads_date_order_at_the_later_date_precision(effective_on, precision, accepted):
    ordinance = OrdinanceFactory(adopted_on=SEPT_15, adopted_on_precision="day")
    write = update(ordinance, effective_on=effective_on, effective_on_precision=precision)

    if accepted:
        write()
        assert Ordinance.objects.get(pk=ordinance.pk).effective_on == effective_on
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            write()
        assert Ordinance.objects.get(pk=ordinance.pk).effective_on is None

    ordinance.effective_on, ordinance.effective_on_precision = effective_on, precision
    if accepted:
        ordinance.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            ordinance.full_clean()
        assert "effective_on" in caught.value.message_dict
