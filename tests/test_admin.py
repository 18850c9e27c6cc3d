"""The admin, the staff's whole interface: every page opens, and one POST saves a cited record."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import TokenProxy

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.admin import HistoryAdmin
from policytracker.corrections.models import Correction
from policytracker.jobs.models import Job, JobKind
from policytracker.models import Citation, ProposedChange, ReviewFlag, Source
from policytracker.profiles.models import DimensionReview, Provision
from tests.admin_forms import form_data
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    CityFactory,
    DimensionReviewFactory,
    OrdinanceFactory,
    ProvisionFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def make_token(username):
    return TokenProxy.objects.create(user=UserFactory(username=username))


@dataclass
class AdminCase:
    make: Callable  # the record under test
    make_other: Callable  # one that a search for `term` must leave out
    term: str
    change_id: Callable = attrgetter("pk")  # what its change page takes


def make_proposed_change(reason):
    ordinance = OrdinanceFactory()
    return ProposedChange.objects.create(
        record=ordinance,
        changes={"title": f"{ordinance.title} (amended)"},
        base_version=ordinance.version,
        reason=reason,
        proposed_by=UserFactory(),
    )


def make_attempt(username):
    return AccessAttempt.objects.create(
        username=username,
        ip_address="198.51.100.7",
        user_agent="Mozilla/5.0",
        http_accept="text/html",
        path_info="/admin/login/",
        get_data="",
        post_data=f"username={username}",
        failures_since_start=5,
    )


def make_flag(raw_value):
    return ReviewFlag.objects.create(
        record=AgreementFactory(),
        field="signed_on",
        raw_value=raw_value,
        reason="no single reading as a date",
        found_in="participatingAgencies-2025-07-01.csv row 12",
    )


# One case for each registered model.
CASES = {
    ReviewFlag: AdminCase(lambda: make_flag("7/7/25"), lambda: make_flag("soon"), "7/7/25"),
    Job: AdminCase(
        lambda: Job.objects.create(
            kind=JobKind.SEARCH_INDEX, requested_by=UserFactory(username="alice-jobs")
        ),
        lambda: Job.objects.create(kind=JobKind.EXPORT, requested_by=UserFactory(username="bob")),
        "alice",
    ),
    Correction: AdminCase(
        lambda: Correction.objects.create(message="Signed in 2017", page="/agreements/x/"),
        lambda: Correction.objects.create(message="Typo in the title", page="/ordinances/y/"),
        "2017",
    ),
    ProposedChange: AdminCase(
        lambda: make_proposed_change("Official title"),
        lambda: make_proposed_change("Typo"),
        "Official",
    ),
    Group: AdminCase(
        lambda: Group.objects.get(name="Editors"),  # made by a migration
        lambda: Group.objects.create(name="Readers"),
        "Editors",
    ),
    get_user_model(): AdminCase(
        lambda: UserFactory(username="reporter"), lambda: UserFactory(username="clerk"), "reporter"
    ),
    TokenProxy: AdminCase(
        lambda: make_token("token-holder"),
        lambda: make_token("clerk"),
        "token-holder",
        change_id=attrgetter("user_id"),  # the token admin addresses a token by its user
    ),
    Source: AdminCase(
        lambda: SourceFactory(title="Welcoming City Ordinance text", record=OrdinanceFactory()),
        lambda: SourceFactory(title="Press release", record=AgencyFactory()),
        "Welcoming",
    ),
    Citation: AdminCase(
        lambda: CitationFactory(source=SourceFactory(title="Welcoming City Ordinance text")),
        lambda: CitationFactory(source=SourceFactory(title="Press release")),
        "Welcoming",
    ),
    Jurisdiction: AdminCase(lambda: CityFactory(name="Chicago"), CityFactory, "Chicago"),
    Agency: AdminCase(lambda: AgencyFactory(abbreviation="CPD"), AgencyFactory, "CPD"),
    Ordinance: AdminCase(
        lambda: OrdinanceFactory(
            title="Welcoming City Ordinance",
            adopted_on=datetime.date(2012, 9, 1),
            adopted_on_precision="month",
        ),
        OrdinanceFactory,
        "Welcoming",
    ),
    Agreement: AdminCase(
        lambda: AgreementFactory(
            title="Customs cross-designation",
            signed_on=datetime.date(2012, 9, 14),
            signed_on_precision="day",
        ),
        AgreementFactory,
        "Customs",
    ),
    Statement: AdminCase(
        lambda: StatementFactory(
            title="On the executive orders",
            made_on=datetime.date(2017, 1, 30),
            made_on_precision="day",
        ),
        StatementFactory,
        "executive",
    ),
    Provision: AdminCase(
        lambda: ProvisionFactory(clause="No agent shall request information about citizenship."),
        lambda: ProvisionFactory(clause="Detainers are honored only with a judicial warrant."),
        "citizenship",
    ),
    AccessAttempt: AdminCase(
        lambda: make_attempt("editor"), lambda: make_attempt("clerk"), "editor"
    ),
    DimensionReview: AdminCase(
        lambda: DimensionReviewFactory(jurisdiction=CityFactory(name="Chicago")),
        lambda: DimensionReviewFactory(jurisdiction=CityFactory(name="Evanston")),
        "Chicago",
    ),
}
REGISTERED = list(admin.site._registry)
IDS = [model._meta.label for model in REGISTERED]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_has_a_case():
    assert set(REGISTERED) == set(CASES)


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_superuser_opens_changelist_add_and_change_pages(admin_client, model):
    case = CASES[model]
    obj = case.make()

    changelist = admin_client.get(admin_url(model, "changelist"))
    add = admin_client.get(admin_url(model, "add"))
    change = admin_client.get(admin_url(model, "change", case.change_id(obj)))

    # A change is proposed by editing its record, and a value to review is flagged by an
    # importer: neither is added on its own.
    # Nor is a correction: readers send it through the site's form; nor a job: the page
    # that asks for the work starts it. A failed sign-in is recorded by the login itself.
    not_added = (ProposedChange, ReviewFlag, Correction, Job, AccessAttempt)
    add_status = 403 if model in not_added else 200
    assert (changelist.status_code, add.status_code, change.status_code) == (200, add_status, 200)
    assert obj in changelist.context["cl"].result_list
    assert change.context["original"] == obj


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_superuser_search_finds_the_record_and_leaves_out_others(admin_client, model):
    case = CASES[model]
    obj = case.make()
    other = case.make_other()

    response = admin_client.get(admin_url(model, "changelist"), {"q": case.term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [obj]
    assert other in model._default_manager.all()


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_superuser_opens_every_list_filter_choice(admin_client, model):
    CASES[model].make()
    Group.objects.get_or_create(name="Editors")  # the user admin shows its group filter only then
    changelist = admin_client.get(admin_url(model, "changelist"))
    cl = changelist.context["cl"]
    query_strings = [
        choice["query_string"] for spec in cl.filter_specs for choice in spec.choices(cl)
    ]

    model_admin = admin.site._registry[model]
    assert len(cl.filter_specs) == len(model_admin.get_list_filter(changelist.wsgi_request))
    for query_string in query_strings:
        response = admin_client.get(admin_url(model, "changelist") + query_string)
        assert response.status_code == 200, query_string


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_history_address_below_the_change_page_redirects_to_the_history_page(admin_client, model):
    case = CASES[model]
    object_id = case.change_id(case.make())
    history = admin_url(model, "history", object_id)

    response = admin_client.get(admin_url(model, "change", object_id) + "history/")

    assert (response.status_code, response["Location"]) == (302, history)
    assert admin_client.get(history).status_code == 200


def test_history_address_below_the_change_page_of_no_admin_model_answers_404(admin_client):
    response = admin_client.get("/admin/contenttypes/contenttype/1/change/history/")
    unknown = admin_client.get("/admin/agreements/nothing/1/change/history/")

    assert (response.status_code, unknown.status_code) == (404, 404)


def test_history_address_below_the_change_page_asks_a_visitor_to_log_in(client):
    agreement = AgreementFactory()
    address = admin_url(Agreement, "change", agreement.pk) + "history/"

    response = client.get(address)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


HISTORY_MODELS = [m for m in REGISTERED if isinstance(admin.site._registry[m], HistoryAdmin)]


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=[m._meta.label for m in HISTORY_MODELS])
def test_history_and_revert_pages_of_an_id_that_cannot_be_one_answer_404(admin_client, model):
    case = CASES[model]
    object_id = case.change_id(case.make())
    version_id = model.history.filter(id=object_id).latest().history_id

    responses = [
        admin_client.get(admin_url(model, "history", "1x")),
        admin_client.get(admin_url(model, "history", "9" * 20)),  # more than 64 bits
        admin_client.get(admin_url(model, "simple_history", "1x", version_id)),
        admin_client.get(admin_url(model, "simple_history", object_id, "latest")),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert (
        admin_client.get(admin_url(model, "simple_history", object_id, version_id)).status_code
        == 200
    )


def test_change_form_links_the_stylesheet_that_keeps_a_long_title_from_the_buttons(
    admin_client,
):
    agreement = AgreementFactory(title="Memorandum of agreement " * 12)

    html = admin_client.get(admin_url(Agreement, "change", agreement.pk)).content.decode()
    stylesheet = Path(finders.find("css/admin.css")).read_text()

    assert f'<link rel="stylesheet" href="{static("css/admin.css")}">' in html
    assert 'class="object-tools"' in html
    rules = re.sub(r"/\*.*?\*/|\s+", " ", stylesheet, flags=re.DOTALL)
    assert "#content h1, #content h2 { overflow-wrap: anywhere; }" in rules
    assert ".change-form .object-tools { float: none; margin: 0 0 15px;" in rules


def test_list_filter_on_publication_shows_only_drafts(admin_client):
    draft = AgreementFactory(publication_state="draft")
    AgreementFactory()

    response = admin_client.get(
        admin_url(Agreement, "changelist"), {"publication_state__exact": "draft"}
    )

    assert list(response.context["cl"].result_list) == [draft]


def test_date_hierarchy_drills_down_by_year(admin_client):
    in_2012 = AgreementFactory(signed_on=datetime.date(2012, 9, 1), signed_on_precision="month")
    AgreementFactory(signed_on=datetime.date(2019, 1, 1), signed_on_precision="year")

    response = admin_client.get(admin_url(Agreement, "changelist"), {"signed_on__year": "2012"})

    assert list(response.context["cl"].result_list) == [in_2012]


def test_publish_action_publishes_the_selected_drafts(staff_client):
    drafts = AgreementFactory.create_batch(2, publication_state="draft")
    for draft in drafts:
        SourceFactory(record=draft)
    untouched = AgreementFactory(publication_state="draft")

    response = staff_client.post(
        admin_url(Agreement, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk for draft in drafts]},
    )

    assert response.status_code == 302
    assert set(Agreement.objects.published()) == set(drafts)
    untouched.refresh_from_db()
    assert untouched.publication_state == "draft"


# One POST: an agreement, its two parties and its source


@pytest.fixture
def parties(chain):
    return (
        AgencyFactory(name="Chicago Police Department", jurisdiction=chain.city),
        AgencyFactory(
            name="Homeland Security Investigations",
            kind="federal_agency",
            jurisdiction=chain.nation,
        ),
    )


def agreement_form_data(staff_client, parties, **changes):
    """What the add page's form posts: the agreement's fields and one citation in the inline,
    of a source staff picked (or added with “+”)."""
    source = SourceFactory(title="Memorandum of understanding", publisher="HSI Chicago")
    page = staff_client.get(admin_url(Agreement, "add"))
    data = management_data(page)
    prefix = "citations"
    data |= {
        "title": "CPD–HSI customs cross-designation",
        "slug": "cpd-hsi-customs",
        "kind": "customs_cross_designation",
        "status": "in_force",
        "summary": "CPD officers may enforce customs law alongside HSI.",
        "local_party": parties[0].pk,
        "federal_party": parties[1].pk,
        "signed_on": "2012-09-01",
        "signed_on_precision": "month",
        "effective_on": "",
        "effective_on_precision": "",
        "expires_on": "",
        "expires_on_precision": "",
        "terminated_on": "",
        "terminated_on_precision": "",
        "scope": "Customs violations.",
        "exclusions": "Civil immigration enforcement.",
        "full_text": "",
        "publication_state": "published",
        f"{prefix}-0-source": source.pk,
        f"{prefix}-0-locator": "p. 2",
        f"{prefix}-0-excerpt": "Civil immigration enforcement is excluded.",
        f"{prefix}-0-note": "",
        "_save": "Save",
    }
    return data | changes


def management_data(page):
    """The management form of every inline on the page, as the browser posts it."""
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{inline.formset.prefix}-{name}"] = management[name].value()
    return data


def inline_formset(response, prefix):
    (inline,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    return inline.formset


def test_add_page_citation_inline_picks_a_source_by_autocomplete_or_adds_one(staff_client):
    page = staff_client.get(admin_url(Agreement, "add"))

    assert [f.formset.prefix for f in page.context["inline_admin_formsets"]] == [
        "citations",
        "provisions",
    ]
    html = page.content.decode()
    assert 'name="citations-TOTAL_FORMS"' in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    assert 'id="add_id_citations-0-source"' in html  # the “+” that adds a new source


def test_staff_adds_agreement_with_parties_and_source_in_one_post(staff_client, parties):
    data = agreement_form_data(staff_client, parties)

    response = staff_client.post(admin_url(Agreement, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    agreement = Agreement.objects.get()
    assert (agreement.local_party, agreement.federal_party) == parties
    assert str(agreement.signed) == "September 2012"
    citation = Citation.objects.get()
    assert citation.record == agreement
    assert (citation.source.title, citation.locator, citation.excerpt) == (
        "Memorandum of understanding",
        "p. 2",
        "Civil immigration enforcement is excluded.",
    )
    assert citation.jurisdiction_id is None
    assert citation.agency_id is None
    assert list(agreement.sources.all()) == [citation.source]


def test_staff_agreement_effective_before_signed_rerenders_with_error_and_saves_nothing(
    staff_client, parties
):
    data = agreement_form_data(
        staff_client,
        parties,
        signed_on="2019-05-01",
        signed_on_precision="day",
        effective_on="2019-04-01",
        effective_on_precision="day",
    )

    response = staff_client.post(admin_url(Agreement, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "effective_on": ["Effective cannot be before signed."]
    }
    assert "Effective cannot be before signed." in response.content.decode()
    assert not Agreement.objects.exists()
    assert not Citation.objects.exists()


def test_staff_agreement_with_month_precision_on_day_15_rerenders_with_error(
    staff_client, parties
):
    data = agreement_form_data(staff_client, parties, signed_on="2012-09-15")

    response = staff_client.post(admin_url(Agreement, "add"), data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["signed_on"]
    assert not Agreement.objects.exists()


def test_staff_citation_without_a_source_rerenders_with_inline_error(staff_client, parties):
    data = agreement_form_data(staff_client, parties, **{"citations-0-source": ""})

    response = staff_client.post(admin_url(Agreement, "add"), data)

    assert response.status_code == 200
    assert list(inline_formset(response, "citations").errors[0]) == ["source"]
    assert "Civil immigration enforcement is excluded." in response.content.decode()
    assert not Agreement.objects.exists()
    assert not Citation.objects.exists()


def test_staff_source_with_month_precision_on_day_15_is_refused_naming_the_field(staff_client):
    response = staff_client.post(
        admin_url(Source, "add"),
        {
            "title": "Memorandum of understanding",
            "kind": "official_record",
            "published_on": "2012-09-15",
            "published_on_precision": "month",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["published_on"]
    assert not Source.objects.exists()


def test_staff_citation_of_two_records_is_refused_in_the_citation_admin(staff_client, parties):
    agreement = AgreementFactory(local_party=parties[0], federal_party=parties[1])

    response = staff_client.post(
        admin_url(Citation, "add"),
        {
            "source": SourceFactory().pk,
            "agreement": agreement.pk,
            "agency": parties[0].pk,
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["agreement"]
    assert not Citation.objects.exists()


# Values an importer could not read: "needs review"


def test_record_with_a_value_to_review_shows_it_and_the_list_filters_on_it(staff_client):
    flag = make_flag("7/7/25")
    AgreementFactory(title="Nothing to review")

    change = staff_client.get(admin_url(Agreement, "change", flag.object_id)).content.decode()
    flagged = staff_client.get(admin_url(Agreement, "changelist"), {"needs_review": "yes"})
    clean = staff_client.get(admin_url(Agreement, "changelist"), {"needs_review": "no"})

    assert "Needs review" in change
    assert "<code>7/7/25</code>" in change
    assert "no single reading as a date" in change
    assert "participatingAgencies-2025-07-01.csv row 12" in change
    assert [a.pk for a in flagged.context["cl"].result_list] == [flag.object_id]
    assert [a.title for a in clean.context["cl"].result_list] == ["Nothing to review"]


def test_a_record_with_nothing_to_review_has_no_review_section(staff_client):
    agreement = AgreementFactory()

    change = staff_client.get(admin_url(Agreement, "change", agreement.pk)).content.decode()

    assert "Needs review" not in change


def test_marking_values_reviewed_records_who_and_clears_the_record(staff_client, staff_user):
    flag = make_flag("7/7/25")
    other = make_flag("soon")

    response = staff_client.post(
        admin_url(ReviewFlag, "changelist"),
        {"action": "mark_reviewed", "_selected_action": [flag.pk]},
    )

    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.reviewed_by == staff_user and flag.reviewed_at is not None
    assert ReviewFlag.objects.needing_review().get() == other
    change = staff_client.get(admin_url(Agreement, "change", flag.object_id)).content.decode()
    assert "Needs review" not in change
    listed = staff_client.get(admin_url(ReviewFlag, "changelist"), {"needs_review": "yes"})
    assert list(listed.context["cl"].result_list) == [other]


def test_editors_may_see_and_mark_values_reviewed(db):
    editors = Group.objects.get(name="Editors")

    assert set(
        editors.permissions.filter(codename__endswith="reviewflag").values_list(
            "codename", flat=True
        )
    ) == {"view_reviewflag", "change_reviewflag"}


def test_deleting_a_record_deletes_its_flags(admin_client):
    flag = make_flag("7/7/25")

    Agreement.objects.get(pk=flag.object_id).delete()

    assert not ReviewFlag.objects.exists()


def test_the_list_of_values_to_review_makes_the_same_queries_for_1_or_10(admin_client):
    url = admin_url(ReviewFlag, "changelist")
    make_flag("first")
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    for number in range(9):
        make_flag(f"value {number}")

    with CaptureQueriesContext(connection) as ten:
        response = admin_client.get(url)

    assert len(response.context["cl"].result_list) == 10
    assert len(ten) == len(one)


# Provisions and reviews: inline on the pages of rules and places


def provision_data(prefix, index, source, place, **changes):
    return {
        f"{prefix}-{index}-{name}": value
        for name, value in {
            "jurisdiction": place.pk,
            "dimension": "status_inquiry",
            "position": "prohibits",
            "clause": "No agent shall request information about citizenship status.",
            "basis": "written",
            "reported_by": "",
            "binds_places_within": "",
            "source": source.pk,
            "locator": "section 2-173-020",
            "starts_on": "",
            "starts_on_precision": "",
            "ends_on": "",
            "ends_on_precision": "",
            "note": "",
            **changes,
        }.items()
    }


@pytest.mark.parametrize(
    ("model", "factory_class", "instrument"),
    [
        (Ordinance, OrdinanceFactory, "ordinance"),
        (Agreement, AgreementFactory, "agreement"),
        (Statement, StatementFactory, "statement"),
    ],
)
def test_staff_adds_a_provision_on_the_page_of_its_rule(
    staff_client, model, factory_class, instrument
):
    record = factory_class()
    source = SourceFactory(record=record)
    place = CityFactory()
    page = staff_client.get(admin_url(model, "change", record.pk))
    provisions = inline_formset(page, "provisions")
    html = page.content.decode()
    assert 'id="id_provisions-__prefix__-jurisdiction"' in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html

    data = form_data(page) | {"provisions-TOTAL_FORMS": "1"}
    data |= provision_data(provisions.prefix, 0, source, place)
    response = staff_client.post(admin_url(model, "change", record.pk), data)

    assert response.status_code == 302, (
        response.context and inline_formset(response, "provisions").errors
    )
    provision = Provision.objects.get()
    assert (provision.instrument, provision.jurisdiction, provision.source) == (
        record,
        place,
        source,
    )
    assert provision.instrument_field == instrument


def test_staff_adds_an_ordinance_with_its_provision_in_one_post(staff_client, chain):
    source = SourceFactory(title="Municipal Code of Chicago")
    page = staff_client.get(admin_url(Ordinance, "add"))
    data = management_data(page) | {
        "title": "Welcoming City Ordinance",
        "slug": "welcoming-city",
        "number": "",
        "kind": "ordinance",
        "status": "in_force",
        "summary": "",
        "jurisdiction": chain.city.pk,
        "adopted_on": "2012-09-01",
        "adopted_on_precision": "month",
        "full_text": "",
        "publication_state": "draft",
        "citations-TOTAL_FORMS": "0",
        "provisions-TOTAL_FORMS": "1",
        **provision_data("provisions", 0, source, chain.city),
        "_save": "Save",
    }

    response = staff_client.post(admin_url(Ordinance, "add"), data)

    assert response.status_code == 302, inline_formset(response, "provisions").errors
    assert Provision.objects.get().ordinance == Ordinance.objects.get()


def test_staff_written_provision_without_its_clause_is_refused_and_nothing_saved(
    staff_client,
):
    ordinance = OrdinanceFactory()
    page = staff_client.get(admin_url(Ordinance, "change", ordinance.pk))
    data = form_data(page) | {"provisions-TOTAL_FORMS": "1"}
    data |= provision_data("provisions", 0, SourceFactory(), ordinance.jurisdiction, clause="")

    response = staff_client.post(admin_url(Ordinance, "change", ordinance.pk), data)

    assert response.status_code == 200
    assert inline_formset(response, "provisions").errors[0] == {
        "clause": ["A written policy quotes the clause that says it."]
    }
    assert not Provision.objects.exists()


def test_provision_list_filters_on_basis_and_binding(admin_client):
    practice = ProvisionFactory(
        basis="practice", reported_by="ICE", clause="", binds_places_within=False
    )
    binding = ProvisionFactory(binds_places_within=True)
    url = admin_url(Provision, "changelist")

    by_basis = admin_client.get(url, {"basis__exact": "practice"})
    by_binding = admin_client.get(url, {"binds_places_within__exact": "1"})

    assert list(by_basis.context["cl"].result_list) == [practice]
    assert list(by_binding.context["cl"].result_list) == [binding]


def test_a_review_saved_on_the_page_of_its_place_is_signed_by_who_saved_it(
    staff_client, staff_user
):
    city = CityFactory()
    other = UserFactory()
    kept = DimensionReviewFactory(jurisdiction=city, reviewed_by=other)
    url = admin_url(Jurisdiction, "change", city.pk)
    page = staff_client.get(url)
    reviews = inline_formset(page, "dimension_reviews")

    data = form_data(page) | {
        f"{reviews.prefix}-TOTAL_FORMS": "2",
        f"{reviews.prefix}-1-dimension": "status_inquiry",
        f"{reviews.prefix}-1-reviewed_on": "2025-05-16",
        f"{reviews.prefix}-1-note": "Checked the municipal code.",
    }
    response = staff_client.post(url, data)

    assert response.status_code == 302, inline_formset(response, "dimension_reviews").errors
    added = DimensionReview.objects.get(dimension="status_inquiry")
    assert (added.jurisdiction, added.reviewed_by) == (city, staff_user)
    kept.refresh_from_db()
    assert kept.reviewed_by == other  # left unchanged, so not signed again


def test_a_review_saved_on_its_own_page_is_signed_by_who_saved_it(staff_client, staff_user):
    city = CityFactory()

    response = staff_client.post(
        admin_url(DimensionReview, "add"),
        {
            "jurisdiction": city.pk,
            "dimension": "detainers",
            "reviewed_on": "2025-05-16",
            "note": "",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert DimensionReview.objects.get().reviewed_by == staff_user


def autocomplete(client, app_label, model_name, field_name, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_autocomplete_of_agencies_pages_in_their_order(staff_client, places):
    """A record's admin counts its citations, and a grouped query drops the default ordering;
    the autocomplete pages through it, and an unordered page warns (and may skip rows)."""
    shown = autocomplete(staff_client, "agreements", "agreement", "local_party", "i")

    assert shown == [str(agency) for agency in Agency.objects.filter(name__icontains="i")]
    assert len(shown) > 1


def test_autocomplete_of_sources_pages_in_title_order(staff_client, chain):
    for title in ("Zoning memo", "Arrest records memo"):
        SourceFactory(title=title, record=chain.city)

    shown = autocomplete(staff_client, "policytracker", "citation", "source", "memo")

    assert shown == [str(source) for source in Source.objects.filter(title__icontains="memo")]
    assert len(shown) == 2
