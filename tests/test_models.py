import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus, Statement
from jurisdictions.models import Agency, Jurisdiction, JurisdictionKind, Ordinance, OrdinanceStatus
from policytracker.dates import DatePrecision, PreciseDate
from policytracker.models import Citation, PublicationState, Source
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    CityFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

SEPT_14 = datetime.date(2012, 9, 14)


# Precise dates


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2019", datetime.date(2019, 1, 1), DatePrecision.YEAR),
        ("2012-09", datetime.date(2012, 9, 1), DatePrecision.MONTH),
        ("2012-09-14", SEPT_14, DatePrecision.DAY),
        (" 2012-09 ", datetime.date(2012, 9, 1), DatePrecision.MONTH),
    ],
)
def test_precise_date_parse_iso_prefix_gives_first_day_and_precision(text, value, precision):
    assert PreciseDate.parse(text) == PreciseDate(value, precision)


@pytest.mark.parametrize(
    "text", ["2012-13", "2012-02-30", "yesterday", "12-09", "2012/09", "2012-9", "", "20120"]
)
def test_precise_date_parse_malformed_text_raises_value_error(text):
    with pytest.raises(ValueError):
        PreciseDate.parse(text)


@pytest.mark.parametrize(
    ("value", "precision", "iso", "shown"),
    [
        (datetime.date(2019, 1, 1), DatePrecision.YEAR, "2019", "2019"),
        (datetime.date(2012, 9, 1), DatePrecision.MONTH, "2012-09", "September 2012"),
        (SEPT_14, DatePrecision.DAY, "2012-09-14", "September 14, 2012"),
    ],
)
def test_precise_date_isoformat_and_str_keep_to_the_precision(value, precision, iso, shown):
    date = PreciseDate(value, precision)

    assert date.isoformat() == iso
    assert str(date) == shown


@pytest.mark.django_db
def test_precise_date_accessor_on_a_record_read_back_from_the_database_renders_at_precision():
    ordinance = OrdinanceFactory(
        adopted_on=datetime.date(2012, 9, 1), adopted_on_precision="month"
    )

    adopted = Ordinance.objects.get(pk=ordinance.pk).adopted

    assert str(adopted) == "September 2012"
    assert adopted.isoformat() == "2012-09"


@pytest.mark.django_db
def test_precise_date_read_from_the_database_as_plain_text_still_formats():
    ordinance = OrdinanceFactory(adopted_on=datetime.date(2019, 1, 1), adopted_on_precision="year")
    stored = Ordinance.objects.values_list("adopted_on", "adopted_on_precision").get(
        pk=ordinance.pk
    )

    assert PreciseDate(*stored).isoformat() == "2019"


@pytest.mark.django_db
def test_precise_date_accessor_without_a_date_is_none():
    assert OrdinanceFactory().adopted is None


# In force: ordinances


def in_force_titles(model, on=None):
    return set(model.objects.in_force(on=on).values_list("title", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime.date(2012, 9, 30), False),  # before its start
        (datetime.date(2012, 10, 1), True),  # on its start
        (datetime.date(2016, 6, 30), True),  # the day before its end
        (datetime.date(2016, 7, 1), False),  # on its end: repealed that day
        (datetime.date(2020, 1, 1), False),  # after its end
    ],
)
def test_ordinance_in_force_on_follows_effective_and_repealed_dates(on, expected):
    OrdinanceFactory(
        title="Repealed rule",
        status=OrdinanceStatus.REPEALED,
        adopted_on=datetime.date(2012, 9, 11),
        adopted_on_precision="day",
        effective_on=datetime.date(2012, 10, 1),
        effective_on_precision="day",
        repealed_on=datetime.date(2016, 7, 1),
        repealed_on_precision="day",
    )

    assert ("Repealed rule" in in_force_titles(Ordinance, on)) is expected


@pytest.mark.django_db
def test_ordinance_in_force_without_effective_date_starts_when_adopted():
    OrdinanceFactory(
        title="Adopted only",
        adopted_on=datetime.date(2012, 9, 1),
        adopted_on_precision="month",
    )

    assert "Adopted only" not in in_force_titles(Ordinance, datetime.date(2012, 8, 31))
    assert "Adopted only" in in_force_titles(Ordinance, datetime.date(2012, 9, 1))
    assert "Adopted only" in in_force_titles(Ordinance)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [OrdinanceStatus.PROPOSED, OrdinanceStatus.UNKNOWN])
def test_ordinance_in_force_excludes_proposed_and_unknown_status(status):
    OrdinanceFactory(
        title="Not known to be in force",
        status=status,
        adopted_on=datetime.date(2012, 9, 1),
        adopted_on_precision="month",
    )
    OrdinanceFactory(
        title="In force",
        adopted_on=datetime.date(2012, 9, 1),
        adopted_on_precision="month",
    )

    assert in_force_titles(Ordinance, datetime.date(2015, 1, 1)) == {"In force"}
    assert in_force_titles(Ordinance) == {"In force"}


@pytest.mark.django_db
def test_ordinance_in_force_with_unknown_start_counts_today_but_not_in_the_past():
    OrdinanceFactory(title="Undated rule", status=OrdinanceStatus.IN_FORCE)

    assert in_force_titles(Ordinance) == {"Undated rule"}
    assert in_force_titles(Ordinance, timezone.localdate()) == {"Undated rule"}
    assert in_force_titles(Ordinance, datetime.date(2015, 1, 1)) == set()


@pytest.mark.django_db
def test_ordinance_with_ended_status_and_no_end_date_is_in_force_in_the_past_not_today():
    OrdinanceFactory(
        title="Suspended rule",
        status=OrdinanceStatus.SUSPENDED,
        effective_on=datetime.date(2012, 9, 1),
        effective_on_precision="month",
    )

    assert in_force_titles(Ordinance, datetime.date(2015, 1, 1)) == {"Suspended rule"}
    assert in_force_titles(Ordinance) == set()


# In force: agreements


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime.date(2016, 12, 31), False),  # before it was signed
        (datetime.date(2017, 1, 1), True),  # signed that year, effective undated
        (datetime.date(2018, 5, 31), True),
        (datetime.date(2018, 6, 1), False),  # terminated that day, before it expired
        (datetime.date(2019, 12, 31), False),
    ],
)
def test_agreement_in_force_on_follows_signed_and_terminated_dates(on, expected):
    AgreementFactory(
        title="Task force",
        status=AgreementStatus.TERMINATED,
        signed_on=datetime.date(2017, 1, 1),
        signed_on_precision="year",
        expires_on=datetime.date(2020, 1, 1),
        expires_on_precision="day",
        terminated_on=datetime.date(2018, 6, 1),
        terminated_on_precision="day",
    )

    assert ("Task force" in in_force_titles(Agreement, on)) is expected


@pytest.mark.django_db
def test_agreement_in_force_prefers_effective_date_over_signed_date():
    AgreementFactory(
        title="Late start",
        signed_on=datetime.date(2017, 1, 10),
        signed_on_precision="day",
        effective_on=datetime.date(2017, 3, 1),
        effective_on_precision="day",
    )

    assert in_force_titles(Agreement, datetime.date(2017, 2, 1)) == set()
    assert in_force_titles(Agreement, datetime.date(2017, 3, 1)) == {"Late start"}


@pytest.mark.django_db
def test_agreement_in_force_ends_at_expiry_without_termination():
    AgreementFactory(
        title="Expired",
        status=AgreementStatus.EXPIRED,
        signed_on=datetime.date(2017, 1, 1),
        signed_on_precision="day",
        expires_on=datetime.date(2018, 1, 1),
        expires_on_precision="day",
    )

    assert in_force_titles(Agreement, datetime.date(2017, 12, 31)) == {"Expired"}
    assert in_force_titles(Agreement, datetime.date(2018, 1, 1)) == set()
    assert in_force_titles(Agreement) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [AgreementStatus.PROPOSED, AgreementStatus.UNKNOWN])
def test_agreement_in_force_excludes_proposed_and_unknown_status(status):
    AgreementFactory(
        title="Not known to be in force",
        status=status,
        signed_on=datetime.date(2017, 1, 1),
        signed_on_precision="day",
    )

    assert in_force_titles(Agreement, datetime.date(2018, 1, 1)) == set()
    assert in_force_titles(Agreement) == set()


@pytest.mark.django_db
def test_agreement_in_force_with_unknown_start_counts_today_but_not_in_the_past():
    AgreementFactory(title="Undated agreement", status=AgreementStatus.IN_FORCE)

    assert in_force_titles(Agreement) == {"Undated agreement"}
    assert in_force_titles(Agreement, datetime.date(2015, 1, 1)) == set()


@pytest.mark.django_db
def test_agreement_with_ended_status_and_no_end_date_is_not_in_force_today():
    AgreementFactory(
        title="Suspended agreement",
        status=AgreementStatus.SUSPENDED,
        signed_on=datetime.date(2017, 1, 1),
        signed_on_precision="day",
    )

    assert in_force_titles(Agreement) == set()
    assert in_force_titles(Agreement, datetime.date(2018, 1, 1)) == {"Suspended agreement"}


@pytest.mark.django_db
def test_agreement_in_force_with_future_end_date_counts_today():
    AgreementFactory(
        title="Running",
        signed_on=datetime.date(2017, 1, 1),
        signed_on_precision="day",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        expires_on_precision="day",
    )

    assert in_force_titles(Agreement) == {"Running"}


# Publication


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory_class", "model"),
    [
        (JurisdictionFactory, Jurisdiction),
        (AgencyFactory, Agency),
        (OrdinanceFactory, Ordinance),
        (AgreementFactory, Agreement),
        (StatementFactory, Statement),
    ],
)
def test_published_excludes_drafts(factory_class, model):
    published = factory_class()
    draft = factory_class(publication_state=PublicationState.DRAFT)

    assert list(model.objects.published().filter(pk__in=[published.pk, draft.pk])) == [published]


@pytest.mark.django_db
def test_visible_to_anonymous_and_unprivileged_users_is_published_only():
    published = AgreementFactory()
    AgreementFactory(publication_state=PublicationState.DRAFT)

    assert list(Agreement.objects.visible_to(AnonymousUser())) == [published]
    assert list(Agreement.objects.visible_to(None)) == [published]
    assert list(Agreement.objects.visible_to(UserFactory())) == [published]
    assert list(
        Agreement.objects.visible_to(UserFactory(permissions=["agreements.view_statement"]))
    ) == [published]


@pytest.mark.django_db
def test_visible_to_staff_with_view_permission_includes_drafts():
    published = AgreementFactory()
    draft = AgreementFactory(publication_state=PublicationState.DRAFT)
    viewer = UserFactory(permissions=["agreements.view_agreement"])

    assert set(Agreement.objects.visible_to(viewer)) == {published, draft}


@pytest.mark.django_db
def test_prefetch_visible_hides_draft_related_records_from_the_public():
    ordinance = OrdinanceFactory()
    published = OrdinanceFactory(title="Published amended rule")
    draft = OrdinanceFactory(title="Draft amended rule", publication_state="draft")
    ordinance.amends.set([published, draft])

    public = Ordinance.objects.prefetch_visible("amends", user=None).get(pk=ordinance.pk)
    staff = UserFactory(permissions=["jurisdictions.view_ordinance"])
    private = Ordinance.objects.prefetch_visible("amends", user=staff).get(pk=ordinance.pk)

    assert list(public.amends.all()) == [published]
    assert set(private.amends.all()) == {published, draft}


# Jurisdiction chain


@pytest.mark.django_db
def test_jurisdiction_ancestors_run_from_the_nation_down_to_the_parent(chain):
    assert chain.city.ancestors() == [chain.nation, chain.state, chain.county]
    assert chain.state.ancestors() == [chain.nation]
    assert chain.nation.ancestors() == []


@pytest.mark.django_db
def test_jurisdiction_ancestors_stop_at_a_loop_written_past_validation(chain):
    Jurisdiction.objects.filter(pk=chain.state.pk).update(parent=chain.city)
    city = Jurisdiction.objects.get(pk=chain.city.pk)

    assert city.ancestors() == [chain.state, chain.county]


@pytest.mark.django_db
def test_jurisdictions_with_published_records_have_an_agency_or_rule_of_their_own(chain):
    AgencyFactory(jurisdiction=chain.city)
    OrdinanceFactory(jurisdiction=chain.county, publication_state=PublicationState.DRAFT)
    OrdinanceFactory(jurisdiction=chain.state)

    assert set(Jurisdiction.objects.with_published_records()) == {chain.city, chain.state}


@pytest.mark.django_db
def test_city_factory_builds_the_whole_chain():
    city = CityFactory()

    assert [place.kind for place in city.ancestors()] == ["nation", "state", "county"]


# Validation in full_clean


def clean_errors(record):
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    return caught.value.message_dict


@pytest.mark.django_db
def test_full_clean_missing_title_names_title():
    ordinance = OrdinanceFactory.build(jurisdiction=JurisdictionFactory(), title="")

    assert "title" in clean_errors(ordinance)


@pytest.mark.django_db
def test_full_clean_effective_before_adopted_names_effective_on():
    ordinance = OrdinanceFactory.build(
        jurisdiction=JurisdictionFactory(),
        adopted_on=datetime.date(2012, 9, 11),
        adopted_on_precision="day",
        effective_on=datetime.date(2012, 9, 1),
        effective_on_precision="day",
    )

    assert clean_errors(ordinance) == {"effective_on": ["Effective cannot be before adopted."]}


@pytest.mark.django_db
def test_full_clean_month_precision_on_day_15_names_the_date_field():
    ordinance = OrdinanceFactory.build(
        jurisdiction=JurisdictionFactory(),
        adopted_on=datetime.date(2012, 9, 15),
        adopted_on_precision="month",
    )

    errors = clean_errors(ordinance)

    assert list(errors) == ["adopted_on"]
    assert "2012-09-01" in errors["adopted_on"][0]


@pytest.mark.django_db
def test_full_clean_year_precision_not_on_january_1_names_the_date_field():
    statement = StatementFactory.build(
        speaker_agency=AgencyFactory(), made_on=datetime.date(2019, 3, 1), made_on_precision="year"
    )

    assert list(clean_errors(statement)) == ["made_on"]


@pytest.mark.django_db
def test_full_clean_precision_without_date_names_the_precision_field():
    agreement = AgreementFactory.build(
        local_party=AgencyFactory(), federal_party=AgencyFactory(), signed_on_precision="year"
    )

    assert list(clean_errors(agreement)) == ["signed_on_precision"]


@pytest.mark.django_db
def test_full_clean_date_without_precision_is_taken_as_a_day():
    agreement = AgreementFactory.build(
        local_party=AgencyFactory(), federal_party=AgencyFactory(), signed_on=SEPT_14
    )

    agreement.full_clean()

    assert agreement.signed_on_precision == DatePrecision.DAY


@pytest.mark.django_db
def test_full_clean_agreement_signed_after_it_took_effect_names_effective_on():
    agreement = AgreementFactory.build(
        local_party=AgencyFactory(),
        federal_party=AgencyFactory(),
        signed_on=datetime.date(2019, 5, 1),
        signed_on_precision="day",
        effective_on=datetime.date(2019, 4, 1),
        effective_on_precision="day",
    )

    assert clean_errors(agreement) == {"effective_on": ["Effective cannot be before signed."]}


@pytest.mark.django_db
def test_full_clean_agreement_with_one_agency_on_both_sides_names_federal_party():
    agency = AgencyFactory()
    agreement = AgreementFactory.build(local_party=agency, federal_party=agency)

    assert "federal_party" in clean_errors(agreement)


@pytest.mark.django_db
def test_full_clean_proposed_ordinance_with_repeal_date_names_status():
    ordinance = OrdinanceFactory.build(
        jurisdiction=JurisdictionFactory(),
        status=OrdinanceStatus.PROPOSED,
        repealed_on=datetime.date(2019, 1, 1),
        repealed_on_precision="day",
    )

    assert list(clean_errors(ordinance)) == ["status"]


@pytest.mark.django_db
def test_full_clean_statement_without_speaker_names_speaker_name():
    statement = StatementFactory.build(speaker_agency=None, speaker_name="")

    assert list(clean_errors(statement)) == ["speaker_name"]


@pytest.mark.django_db
def test_full_clean_place_below_a_nation_without_parent_names_parent():
    county = JurisdictionFactory.build(kind=JurisdictionKind.COUNTY, parent=None)

    assert list(clean_errors(county)) == ["parent"]


@pytest.mark.django_db
def test_full_clean_parent_that_lies_within_the_place_names_parent(chain):
    # Fresh copies, as a form would load them: the city's parent is read from the database.
    county = Jurisdiction.objects.get(pk=chain.county.pk)
    county.parent = Jurisdiction.objects.get(pk=chain.city.pk)

    assert list(clean_errors(county)) == ["parent"]


@pytest.mark.django_db
def test_full_clean_place_as_its_own_parent_names_parent(chain):
    chain.county.parent = chain.county

    assert list(clean_errors(chain.county)) == ["parent"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("ocd_id", "country:us/state:il"), ("fips", "17a"), ("fips", "1")]
)
def test_full_clean_malformed_identifier_names_its_field(field, value):
    nation = JurisdictionFactory.build(**{field: value})

    assert list(clean_errors(nation)) == [field]


@pytest.mark.django_db
def test_full_clean_citation_of_two_records_names_the_second():
    agreement = AgreementFactory()
    citation = CitationFactory.build(
        record=agreement, source=SourceFactory(), jurisdiction=agreement.local_party.jurisdiction
    )

    assert clean_errors(citation) == {"agreement": ["A citation links exactly one record."]}


@pytest.mark.django_db
def test_full_clean_valid_records_pass(chain):
    agency = AgencyFactory(jurisdiction=chain.city)
    records = [
        chain.city,
        agency,
        OrdinanceFactory(
            jurisdiction=chain.city,
            adopted_on=datetime.date(2012, 9, 1),
            adopted_on_precision="month",
            effective_on=datetime.date(2012, 9, 1),
            effective_on_precision="day",
        ),
        AgreementFactory(local_party=agency),
        StatementFactory(speaker_agency=None, speaker_name="A. Official"),
        SourceFactory(record=agency),
    ]

    for record in records:
        record.full_clean()


@pytest.mark.django_db
def test_one_source_cited_by_two_records_is_found_from_each():
    agreement = AgreementFactory()
    source = SourceFactory(record=agreement, locator="row 12")
    CitationFactory(source=source, record=agreement.local_party, locator="row 13")
    SourceFactory(record=agreement.local_party)

    assert [citation.record for citation in source.citations.order_by("locator")] == [
        agreement,
        agreement.local_party,
    ]
    assert list(Source.objects.cited_by(agreement)) == [source]
    assert list(agreement.sources.all()) == [source]
    assert agreement.local_party.sources.count() == 2
    assert list(Citation.objects.of(agreement).values_list("locator", flat=True)) == ["row 12"]


@pytest.mark.django_db
def test_a_source_still_cited_cannot_be_deleted_and_stays_when_its_record_goes():
    agreement = AgreementFactory()
    source = SourceFactory(record=agreement)

    with pytest.raises(ProtectedError):
        source.delete()
    agreement.delete()

    assert Source.objects.filter(pk=source.pk).exists()
    assert not Citation.objects.filter(source=source).exists()


@pytest.mark.django_db
def test_statement_speaker_names_person_and_agency():
    agency = AgencyFactory(name="Office of the Mayor")

    assert StatementFactory(speaker_agency=agency, speaker_name="").speaker == (
        "Office of the Mayor"
    )
    assert (
        StatementFactory(
            speaker_agency=agency, speaker_name="Lori Lightfoot", speaker_title="Mayor"
        ).speaker
        == "Lori Lightfoot, Mayor (Office of the Mayor)"
    )
    assert StatementFactory(speaker_agency=None, speaker_name="A. Official").speaker == (
        "A. Official"
    )


@pytest.mark.parametrize("text", ["２０１２", "2012-٠٩", "2012-9", "12-09-2012"])
def test_precise_date_parse_refuses_anything_but_ascii_iso_prefixes(text):
    with pytest.raises(ValueError):
        PreciseDate.parse(text)


def test_full_clean_ordinance_repealed_before_it_took_effect_names_repealed_on():
    ordinance = OrdinanceFactory.build(
        jurisdiction=None,
        effective_on=datetime.date(2013, 1, 1),
        effective_on_precision="day",
        repealed_on=datetime.date(2012, 12, 1),
        repealed_on_precision="month",
    )

    with pytest.raises(ValidationError) as caught:
        ordinance.clean()

    assert list(caught.value.message_dict) == ["repealed_on"]
