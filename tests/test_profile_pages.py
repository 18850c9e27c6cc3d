"""A place's profile on its page, in the API and as CSV; the compact row on the list."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policytracker.profiles.dimensions import Dimension
from policytracker.profiles.models import DimensionReview
from tests.factories import JurisdictionFactory, OrdinanceFactory, ProvisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def welcoming(chain):
    """Chicago's ordinance, adopted "September 2012", prohibits status inquiries; Illinois
    limits detainers and binds its places."""
    city_rule = OrdinanceFactory(
        jurisdiction=chain.city,
        slug="welcoming-city",
        title="Welcoming City Ordinance",
        adopted_on=datetime.date(2012, 9, 1),
        adopted_on_precision="month",
    )
    ProvisionFactory(ordinance=city_rule, dimension=Dimension.STATUS_INQUIRY, locator="§ 2-173")
    state_rule = OrdinanceFactory(
        jurisdiction=chain.state,
        slug="trust-act",
        title="State rule",
        kind="statute",
        effective_on=datetime.date(2017, 8, 28),
        effective_on_precision="day",
    )
    ProvisionFactory(
        ordinance=state_rule,
        dimension=Dimension.DETAINERS,
        position="limits",
        binds_places_within=True,
        clause="A law enforcement agency shall not detain a person on a detainer.",
    )
    DimensionReview.objects.create(
        jurisdiction=chain.city,
        dimension=Dimension.TRANSFERS,
        reviewed_on=datetime.date(2026, 11, 30),
        note="No rule found in the municipal code.",
    )
    return chain


def detail(client, slug="chicago", **params):
    return client.get(reverse("jurisdictions:detail", kwargs={"slug": slug}), params)


def test_the_page_shows_own_and_inherited_rules_with_their_dates_and_sources(client, welcoming):
    page = " ".join(detail(client, on="2019-07-15").content.decode().split())

    assert "What applies here" in page
    assert "Welcoming City Ordinance" in page
    assert (
        "In force from September 2012: the sources give the month, not the day, so it counts "
        "from the first of the month."
    ) in page
    assert "Inherited from Illinois, whose rule binds the places within it." in page
    assert "§ 2-173" in page
    assert "Yes, last checked" in page and "No rule found in the municipal code." in page
    assert page.count('class="position position--none"') == 11
    assert page.count("Not yet reviewed") == 12


def test_the_date_changes_what_applies(client, welcoming):
    before = detail(client, on="2012-08-31").context["profile"]
    assert before.cell(Dimension.STATUS_INQUIRY).governing is None
    assert before.cell(Dimension.DETAINERS).governing is None  # the state rule came in 2017
    after = detail(client, on="2017-08-28").context["profile"]
    assert after.cell(Dimension.DETAINERS).governing is not None


@pytest.mark.parametrize("value", ["2019-02-30", "15/07/2019", "yesterday", "2019-13-01"])
def test_a_bad_date_is_a_400_that_names_it_on_page_api_and_csv(client, welcoming, value):
    page = detail(client, on=value)
    api = client.get(
        reverse("api:jurisdiction-profile", kwargs={"slug": "chicago"}), {"on": value}
    )
    download = client.get(
        reverse("jurisdictions:profile-csv", kwargs={"slug": "chicago"}), {"on": value}
    )

    message = f"“{value}” is not a date: give one as YYYY-MM-DD"
    assert page.status_code == api.status_code == download.status_code == 400
    assert message in page.content.decode()
    assert message in api.json()["on"][0]
    assert message in download.content.decode()


def test_the_api_gives_every_question_with_the_rule_that_decides_it(client, welcoming):
    data = client.get(
        reverse("api:jurisdiction-profile", kwargs={"slug": "chicago"}), {"on": "2019-07-15"}
    ).json()

    assert data["as_of"] == "2019-07-15"
    assert [cell["question"] for cell in data["cells"]] == list(Dimension.values)
    cells = {cell["question"]: cell for cell in data["cells"]}
    status = cells["status_inquiry"]
    assert (status["position"], status["governing"]["instrument"]["title"]) == (
        "prohibits",
        "Welcoming City Ordinance",
    )
    assert status["governing"]["in_force_from"] == "2012-09"
    assert status["governing"]["in_force_from_precision"] == "month"
    assert cells["detainers"]["governing"]["inherited"] is True
    assert cells["transfers"] == {
        **cells["transfers"],
        "position": None,
        "position_label": "No recorded rule",
        "reviewed": True,
        "last_checked": "2026-11-30",
    }
    assert (data["questions_reviewed"], data["questions_with_a_rule"]) == (1, 2)


def test_the_csv_has_one_row_per_question(client, welcoming):
    response = client.get(
        reverse("jurisdictions:profile-csv", kwargs={"slug": "chicago"}), {"on": "2019-07-15"}
    )

    assert (
        response["Content-Disposition"] == 'attachment; filename="profile-chicago-2019-07-15.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(Dimension)
    detainers = next(row for row in rows if row["question"] == "detainers")
    assert (detainers["position"], detainers["decided_by_place"], detainers["inherited"]) == (
        "limits",
        "illinois",
        "yes",
    )


def test_a_draft_place_has_no_profile_for_the_public(client, chain):
    chain.city.__class__.objects.filter(pk=chain.city.pk).update(publication_state="draft")

    assert detail(client).status_code == 404
    assert (
        client.get(reverse("api:jurisdiction-profile", kwargs={"slug": "chicago"})).status_code
        == 404
    )
    assert (
        client.get(reverse("jurisdictions:profile-csv", kwargs={"slug": "chicago"})).status_code
        == 404
    )


def test_the_list_shows_each_place_with_a_compact_row(client, welcoming):
    page = " ".join(client.get(reverse("jurisdictions:list")).content.decode().split())

    assert "What applies today" in page
    assert "Prohibits</span> asking about immigration status or place of birth" in page
    assert 'Limits</span> honoring ice detainers <span class="muted">(Illinois)</span>' in page
    assert "1 of 13 questions reviewed" in page


def test_a_full_list_page_with_profile_rows_makes_as_many_queries_as_a_short_one(
    client, welcoming
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("jurisdictions:list")).status_code == 200
        return len(captured)

    short = queries()
    for index in range(60):
        place = JurisdictionFactory(kind="village", parent=welcoming.county)
        ProvisionFactory(ordinance__jurisdiction=place, dimension=list(Dimension)[index % 13])
    assert queries() == short
