"""One factory per model. Records are published unless a test says otherwise.

A place below a nation needs a parent (a database rule), so the chain is built by the
kind-specific factories: CityFactory() makes a city in a county in a state in a nation.
JurisdictionFactory() on its own makes a nation, which needs no parent.

A Source is a document; SourceFactory(record=agreement, excerpt=…) also makes the citation
of it by that record, and CitationFactory(record=…, source=…) makes one on its own.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from factory.django import DjangoModelFactory

from agreements.models import Agreement, AgreementKind, AgreementStatus, Statement
from jurisdictions.models import (
    Agency,
    AgencyKind,
    Jurisdiction,
    JurisdictionKind,
    Ordinance,
    OrdinanceKind,
    OrdinanceStatus,
)
from policytracker.models import Citation, PublicationState, Source, SourceKind
from policytracker.profiles.dimensions import Basis, Dimension, Position
from policytracker.profiles.models import DimensionReview, Provision


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def permissions(user, create, codenames, **kwargs):
        """UserFactory(permissions=["agreements.add_agreement"]): grant these codenames."""
        if not create or not codenames:
            return
        for name in codenames:
            app_label, codename = name.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class JurisdictionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    kind = JurisdictionKind.NATION
    parent = None
    summary = factory.LazyAttribute(lambda place: f"What {place.name} decides.")
    publication_state = PublicationState.PUBLISHED

    class Meta:
        model = Jurisdiction


class NationFactory(JurisdictionFactory):
    name = factory.Sequence(lambda n: f"Nation {n}")
    slug = factory.Sequence(lambda n: f"nation-{n}")


class StateFactory(JurisdictionFactory):
    name = factory.Sequence(lambda n: f"State {n}")
    slug = factory.Sequence(lambda n: f"state-{n}")
    kind = JurisdictionKind.STATE
    parent = factory.SubFactory(NationFactory)


class CountyFactory(JurisdictionFactory):
    name = factory.Sequence(lambda n: f"County {n}")
    slug = factory.Sequence(lambda n: f"county-{n}")
    kind = JurisdictionKind.COUNTY
    parent = factory.SubFactory(StateFactory)


class CityFactory(JurisdictionFactory):
    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    kind = JurisdictionKind.CITY
    parent = factory.SubFactory(CountyFactory)


class AgencyFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    abbreviation = ""
    kind = AgencyKind.POLICE
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    summary = "A body that acts."
    publication_state = PublicationState.PUBLISHED

    class Meta:
        model = Agency


class OrdinanceFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Ordinance {n}")
    slug = factory.Sequence(lambda n: f"ordinance-{n}")
    kind = OrdinanceKind.ORDINANCE
    status = OrdinanceStatus.IN_FORCE
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    summary = "A rule a place adopted."
    publication_state = PublicationState.PUBLISHED

    class Meta:
        model = Ordinance


class AgreementFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Agreement {n}")
    slug = factory.Sequence(lambda n: f"agreement-{n}")
    kind = AgreementKind.TASK_FORCE
    status = AgreementStatus.IN_FORCE
    local_party = factory.SubFactory(AgencyFactory)
    federal_party = factory.SubFactory(AgencyFactory, kind=AgencyKind.FEDERAL_AGENCY)
    summary = "An arrangement between two agencies."
    publication_state = PublicationState.PUBLISHED

    class Meta:
        model = Agreement


class StatementFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Statement {n}")
    slug = factory.Sequence(lambda n: f"statement-{n}")
    speaker_agency = factory.SubFactory(AgencyFactory)
    text = "The words said."
    summary = "A position taken in public."
    publication_state = PublicationState.PUBLISHED

    class Meta:
        model = Statement
        skip_postgeneration_save = True

    @factory.post_generation
    def about_jurisdictions(statement, create, jurisdictions, **kwargs):
        if create and jurisdictions:
            statement.about_jurisdictions.set(jurisdictions)


def _cited(field):
    """The record that cites, in the foreign key that matches its type."""
    return factory.LazyAttribute(
        lambda citation: (
            citation.record
            if citation.record is not None and citation.record._meta.model_name == field
            else None
        )
    )


class SourceFactory(DjangoModelFactory):
    """A document. With `record=`, also a citation of it by that record, with `excerpt`,
    `locator` and `note` if given."""

    title = factory.Sequence(lambda n: f"Source document {n}")
    publisher = "City Clerk"
    kind = SourceKind.OFFICIAL_RECORD
    url = factory.Sequence(lambda n: f"https://records.example.org/{n}")
    record = None
    excerpt = ""
    locator = ""
    note = ""

    class Meta:
        model = Source

    @classmethod
    def _create(cls, model_class, *args, record, excerpt, locator, note, **kwargs):
        source = super()._create(model_class, *args, **kwargs)
        if record is not None:
            CitationFactory(
                source=source, record=record, excerpt=excerpt, locator=locator, note=note
            )
        return source

    @classmethod
    def _build(cls, model_class, *args, record, excerpt, locator, note, **kwargs):
        if record is not None:
            raise TypeError("An unsaved source cannot be cited: create it instead.")
        return super()._build(model_class, *args, **kwargs)


class CitationFactory(DjangoModelFactory):
    """A record citing a source: pass the record as `record=` (a jurisdiction if not)."""

    source = factory.SubFactory(SourceFactory)

    class Meta:
        model = Citation

    class Params:
        record = factory.SubFactory(JurisdictionFactory)

    jurisdiction = _cited("jurisdiction")
    agency = _cited("agency")
    ordinance = _cited("ordinance")
    agreement = _cited("agreement")
    statement = _cited("statement")


def _instrument_place(provision):
    """The place of the provision's rule: its own (an agreement: its local party's), or, for a
    statement, the first place it is about, else its speaker's."""
    if provision.ordinance is not None:
        return provision.ordinance.jurisdiction
    if provision.agreement is not None:
        return provision.agreement.local_party.jurisdiction
    about = provision.statement.about_jurisdictions.first()
    return about or provision.statement.speaker_agency.jurisdiction


class ProvisionFactory(DjangoModelFactory):
    """What a rule says on one question. Pass `ordinance=`, `agreement=` or `statement=`
    (an in-force ordinance of a new place if none); the place is the rule's unless given."""

    agreement = None
    statement = None
    ordinance = factory.Maybe(
        factory.LazyAttribute(lambda p: p.agreement is None and p.statement is None),
        yes_declaration=factory.SubFactory(OrdinanceFactory),
        no_declaration=None,
    )
    jurisdiction = factory.LazyAttribute(_instrument_place)
    dimension = Dimension.STATUS_INQUIRY
    position = Position.PROHIBITS
    clause = "No agent or agency shall request information about citizenship status."
    basis = Basis.WRITTEN
    source = factory.SubFactory(SourceFactory)

    class Meta:
        model = Provision


class DimensionReviewFactory(DjangoModelFactory):
    """That staff checked the sources for one question for one place (a city), on a date."""

    jurisdiction = factory.SubFactory(CityFactory)
    dimension = Dimension.DETAINERS
    reviewed_on = datetime.date(2019, 7, 15)
    note = ""

    class Meta:
        model = DimensionReview
