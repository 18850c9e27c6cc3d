"""Places side by side: /compare/, /compare.csv and /api/v1/compare/.

Differences marked in words, inherited cells, "no recorded rule" with the review state, the
CSV's shape, the API's payload, every bad input refused with a 400 that names it, and the
same number of queries whatever the number of provisions.
"""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from policytracker.profiles.compare import MAX_PLACES
from policytracker.profiles.dimensions import Dimension, Position
from policytracker.profiles.models import DimensionReview
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    ProvisionFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ON = "2019-07-15"
DETAINERS = Dimension.DETAINERS
STATUS = Dimension.STATUS_INQUIRY
JAIL = Dimension.JAIL_ACCESS


def rule(place, *, on="2012-09-11", **fields):
    return OrdinanceFactory(
        jurisdiction=place,
        adopted_on=datetime.date.fromisoformat(on),
        adopted_on_precision="day",
        **fields,
    )


def provision(place, position, *, dimension=DETAINERS, binds=False, **fields):
    return ProvisionFactory(
        ordinance=fields.pop("ordinance", None) or rule(place),
        dimension=dimension,
        position=position,
        binds_places_within=binds,
        **fields,
    )


def review(place, dimension, on="2024-05-02", note=""):
    return DimensionReview.objects.create(
        jurisdiction=place,
        dimension=dimension,
        reviewed_on=datetime.date.fromisoformat(on),
        note=note,
    )


@pytest.fixture
def rules(chain):
    """On detainers, Illinois binds its places to prohibit and Chicago limits (the same
    direction: no conflict, so Chicago's own governs); on status inquiries, Illinois's rule
    governs everywhere; on jail access nothing is recorded, and Cook County was reviewed."""
    trust = rule(chain.state, on="2017-08-28", title="Illinois TRUST Act", slug="trust-act")
    welcoming = rule(chain.city, title="Welcoming City Ordinance", slug="welcoming-city")
    provision(chain.state, Position.PROHIBITS, binds=True, ordinance=trust)
    provision(chain.state, Position.PROHIBITS, binds=True, ordinance=trust, dimension=STATUS)
    provision(chain.city, Position.LIMITS, ordinance=welcoming)
    review(chain.county, JAIL, note="Checked the board's minutes.")
    return chain


def page(client, *slugs, on=ON, **params):
    query = {"j": list(slugs), **({"on": on} if on else {}), **params}
    return client.get(reverse("profiles:compare"), query)


def rows_of(html):
    """{question label: (comparison code, the row's HTML)} of the comparison table."""
    found = re.findall(
        r'<tr class="compare__row compare__row--(\w+)">(.*?)</tr>', html, flags=re.DOTALL
    )
    rows = {}
    for code, row in found:
        label = re.search(r'<span class="compare__label">(.*?)</span>', row).group(1)
        rows[label] = (code, row)
    return rows


def cells_of(row_html):
    """{place name: the cell's HTML} of one row."""
    return dict(re.findall(r'<td data-label="([^"]+)">(.*?)</td>', row_html, flags=re.DOTALL))


# The page


def test_compare_page_without_places_shows_the_form_only(client):
    response = client.get(reverse("profiles:compare"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<form class="compare-form" method="get" action="/compare/">' in html
    assert html.count('name="j"') == MAX_PLACES
    assert '<input type="date" name="on" value="' in html
    assert "<table" not in html
    assert "could not be made" not in html


def test_compare_page_puts_places_in_columns_and_questions_in_rows(client, rules):
    response = page(client, "chicago", "cook-county", "illinois")

    html = response.content.decode()
    assert response.status_code == 200
    assert "As of July 15, 2019" in html
    headers = re.findall(r'<th scope="col"><a href="([^"]+)">([^<]+)</a>', html)
    assert headers == [
        ("/jurisdictions/chicago/", "Chicago"),
        ("/jurisdictions/cook-county/", "Cook County"),
        ("/jurisdictions/illinois/", "Illinois"),
    ]
    rows = rows_of(html)
    assert list(rows) == [str(dimension.label) for dimension in Dimension]
    assert all(
        list(cells_of(row)) == ["Chicago", "Cook County", "Illinois"] for _, row in rows.values()
    )
    # The form is filled in with what was asked, so that the next comparison starts from it.
    assert 'name="j" id="id_j_1" value="chicago"' in html
    assert 'name="j" id="id_j_3" value="illinois"' in html
    assert '<input type="date" name="on" value="2019-07-15"' in html


def test_a_row_where_the_governing_positions_differ_is_marked_in_words(client, rules):
    rows = rows_of(page(client, "chicago", "cook-county", "illinois").content.decode())

    code, row = rows["Honoring ICE detainers"]
    assert code == "differs"
    assert '<span class="compare__mark compare__mark--differs">' in row
    assert "Positions differ</span>" in row
    assert '<p class="compare__position">Limits</p>' in cells_of(row)["Chicago"]
    assert '<p class="compare__position">Prohibits</p>' in cells_of(row)["Cook County"]

    code, row = rows["Asking about immigration status or place of birth"]
    assert code == "same"
    assert "Positions differ" not in row
    assert "Same position</span>" in row


def test_the_page_counts_the_questions_that_differ(client, rules):
    html = page(client, "chicago", "cook-county", "illinois").content.decode()

    assert "The governing positions differ on 1 question of 13." in html
    assert "No rule in force on this date is recorded for any of these places" not in html


def test_with_no_rule_recorded_anywhere_the_page_says_it_is_not_the_same_as_none(client, chain):
    html = page(client, "chicago", "cook-county", "illinois").content.decode()

    assert {code for code, _row in rows_of(html).values()} == {"not_recorded"}
    assert (
        "No rule in force on this date is recorded for any of these places, on any question. "
        'That is not the same as having none: see <a href="/coverage/">how far the review '
        "has gone</a>."
    ) in html


def test_a_place_with_no_recorded_rule_is_not_counted_as_differing(client, chain):
    provision(chain.city, Position.PROHIBITS)

    html = page(client, "chicago", "cook-county").content.decode()

    code, row = rows_of(html)["Honoring ICE detainers"]
    assert code == "partly_recorded"
    assert "Positions differ" not in row
    assert "Recorded for some of these places only</span>" in row
    assert "The governing positions differ on 0 questions of 13." in html
    assert "On 1 more, a rule is recorded for some of these places only." in html


def test_an_inherited_cell_names_the_place_and_links_the_rule(client, rules):
    row = rows_of(page(client, "chicago", "cook-county").content.decode())[
        "Honoring ICE detainers"
    ][1]

    county = cells_of(row)["Cook County"]
    assert '<a href="/ordinances/trust-act/">Illinois TRUST Act</a>' in county
    assert "(in force from August 28, 2017)" in county
    assert 'Inherited from <a href="/jurisdictions/illinois/">Illinois</a>' in county
    city = cells_of(row)["Chicago"]
    assert '<a href="/ordinances/welcoming-city/">Welcoming City Ordinance</a>' in city
    assert "Inherited from" not in city


def test_a_cell_with_no_recorded_rule_says_whether_and_when_it_was_reviewed(client, rules):
    row = rows_of(page(client, "chicago", "cook-county").content.decode())[
        "ICE access to jails and to people in custody"
    ][1]

    county, city = cells_of(row)["Cook County"], cells_of(row)["Chicago"]
    assert "No recorded rule" in county
    assert (
        'Reviewed: staff last checked on <time datetime="2024-05-02">May 2, 2024</time> and '
        "record none in force on this date."
    ) in county
    assert "Checked the board&#x27;s minutes." in county
    assert "No recorded rule" in city
    assert "Not yet reviewed: a rule may exist that is not recorded here." in city


def test_the_header_says_how_many_questions_each_place_has_reviewed(client, rules):
    html = page(client, "chicago", "cook-county").content.decode()

    assert "City · 0 of 13 questions reviewed" in html
    assert "County · 1 of 13 questions reviewed" in html


def test_the_date_decides_what_is_in_force(client, rules):
    before = rows_of(page(client, "chicago", "cook-county", on="2015-01-01").content.decode())
    today = rows_of(page(client, "chicago", "cook-county", on=None).content.decode())

    # Before the TRUST Act, only Chicago's own rule: Cook County has none recorded.
    assert before["Honoring ICE detainers"][0] == "partly_recorded"
    assert today["Honoring ICE detainers"][0] == "differs"


def test_reported_practice_is_shown_attributed_and_never_governs(client, chain):
    statement = StatementFactory(
        speaker_agency=AgencyFactory(jurisdiction=chain.nation, name="ICE"),
        made_on=datetime.date(2019, 1, 1),
        made_on_precision="day",
    )
    ProvisionFactory(
        ordinance=None,
        statement=statement,
        jurisdiction=chain.county,
        dimension=DETAINERS,
        position=Position.PROHIBITS,
        basis="practice",
        reported_by="ICE",
        clause="",
    )

    row = rows_of(page(client, "chicago", "cook-county").content.decode())[
        "Honoring ICE detainers"
    ][1]

    county = cells_of(row)["Cook County"]
    assert "No recorded rule" in county
    assert "Reported practice: ICE reports that it prohibits" in county


def test_the_page_links_itself_its_csv_and_its_api_twin(client, rules):
    html = page(client, "chicago", "cook-county", on=None).content.decode()

    today = timezone.localdate().isoformat()
    query = f"j=chicago&amp;j=cook-county&amp;on={today}"
    assert f'<a href="/compare/?{query}">Link to this comparison</a>' in html
    assert f'<a href="/compare.csv?{query}" download>Download as CSV</a>' in html
    assert f'<a href="/api/v1/compare/?{query}">As JSON (API)</a>' in html


def test_the_public_never_sees_a_draft_rule(client, chain):
    provision(
        chain.city, Position.PROHIBITS, ordinance=rule(chain.city, publication_state="draft")
    )

    row = rows_of(page(client, "chicago", "cook-county").content.decode())[
        "Honoring ICE detainers"
    ][1]

    assert "No recorded rule" in cells_of(row)["Chicago"]


def test_staff_may_compare_a_draft_place(client, chain):
    JurisdictionFactory(
        name="Evanston",
        slug="evanston",
        kind="city",
        parent=chain.county,
        publication_state="draft",
    )
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_jurisdiction"))
    client.force_login(staff)

    response = page(client, "chicago", "evanston")

    assert response.status_code == 200
    assert ">Evanston</a>" in response.content.decode()


def test_a_slug_the_place_had_before_redirects_to_its_current_one(client, chain):
    chain.city.slug = "chicago-il"
    chain.city.save()

    response = page(client, "chicago", "cook-county")
    csv_response = client.get(reverse("profiles:compare-csv"), {"j": ["chicago", "illinois"]})

    assert response.status_code == 301
    assert response["Location"] == f"/compare/?j=chicago-il&j=cook-county&on={ON}"
    assert csv_response.status_code == 301
    assert csv_response["Location"].startswith("/compare.csv?j=chicago-il&j=illinois&on=")


# Bad input: a 400 naming the problem, on the page, in the CSV and in the API

BAD_INPUTS = [
    pytest.param(
        {"j": ["chicago", "cook-county"], "on": "2019-02-30"},
        "on",
        "There is no such day as 2019-02-30: give a date that exists.",
        id="impossible-date",
    ),
    pytest.param(
        {"j": ["chicago", "cook-county"], "on": "15/07/2019"},
        "on",
        "“15/07/2019” is not a date: give one as YYYY-MM-DD, e.g. 2019-07-15.",
        id="malformed-date",
    ),
    pytest.param(
        {"j": ["chicago", "cook-county"], "on": "2019-07"},
        "on",
        "“2019-07” is not a date: give one as YYYY-MM-DD, e.g. 2019-07-15.",
        id="month-not-a-day",
    ),
    pytest.param(
        {"j": ["chicago", "atlantis"]},
        "j",
        "No published place has the slug “atlantis”.",
        id="unknown-slug",
    ),
    pytest.param(
        {"j": ["chicago", "evanston"]},
        "j",
        "No published place has the slug “evanston”.",
        id="draft-slug",
    ),
    pytest.param(
        {"j": ["chicago"]},
        "j",
        "Name at least 2 places to compare; 1 was given.",
        id="one-place",
    ),
    pytest.param(
        {"on": ON},
        "j",
        "Name at least 2 places to compare; 0 were given.",
        id="no-place",
    ),
    pytest.param(
        {"j": ["chicago", "", " ", ""]},
        "j",
        "Name at least 2 places to compare; 1 was given.",
        id="empty-boxes-ignored",
    ),
    pytest.param(
        {"j": [f"place-{n}" for n in range(7)]},
        "j",
        "At most 6 places can be compared at once; 7 were given.",
        id="seven-places",
    ),
    pytest.param(
        {"j": ["chicago", "cook-county", "chicago"]},
        "j",
        "“chicago” is named more than once: name each place once.",
        id="repeated-place",
    ),
    pytest.param(
        {"j": ["chicago", "cook county"]},
        "j",
        "“cook county” is not a slug: a place's slug is the end of its page address, in "
        "letters, digits and hyphens, e.g. cook-county.",
        id="not-a-slug",
    ),
    pytest.param(
        {"j": ["chicago", "cook-\x00county"]},
        "j",
        "“cook-\x00county” is not a slug: a place's slug is the end of its page address, in "
        "letters, digits and hyphens, e.g. cook-county.",
        id="nul-character",
    ),
]


@pytest.fixture
def draft_place(chain):
    return JurisdictionFactory(
        name="Evanston",
        slug="evanston",
        kind="city",
        parent=chain.county,
        publication_state="draft",
    )


@pytest.mark.parametrize(("query", "parameter", "message"), BAD_INPUTS)
def test_bad_input_answers_400_on_the_page_naming_the_problem(
    client, draft_place, query, parameter, message
):
    response = client.get(reverse("profiles:compare"), query)

    html = response.content.decode()
    assert response.status_code == 400
    assert "This comparison could not be made" in html
    label = {"j": "Places to compare", "on": "As of"}[parameter]
    escaped = message.replace("'", "&#x27;")
    assert re.search(rf'<a href="#id_{parameter}(_1)?">{label}</a>: {re.escape(escaped)}', html)
    assert "<table" not in html


@pytest.mark.parametrize(("query", "parameter", "message"), BAD_INPUTS)
def test_bad_input_answers_400_in_the_csv_as_text(client, draft_place, query, parameter, message):
    response = client.get(reverse("profiles:compare-csv"), query)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "This comparison could not be made, so nothing was exported:"
    assert f"{parameter}: {message}" in lines


@pytest.mark.parametrize(("query", "parameter", "message"), BAD_INPUTS)
def test_bad_input_answers_400_in_the_api_naming_the_parameter(
    api_client, draft_place, query, parameter, message
):
    response = api_client.get(reverse("api:compare-list"), query)

    assert response.status_code == 400
    assert response.json() == {parameter: [message]}


def test_every_problem_with_the_places_is_named_at_once(api_client, chain):
    response = api_client.get(
        reverse("api:compare-list"),
        {"j": ["chicago", "chicago", "atlantis", "no way"], "on": "2019-13-01"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "j": [
            "“chicago” is named more than once: name each place once.",
            "“no way” is not a slug: a place's slug is the end of its page address, in "
            "letters, digits and hyphens, e.g. cook-county.",
            "No published place has the slug “atlantis”.",
        ],
        "on": ["There is no such day as 2019-13-01: give a date that exists."],
    }


def test_a_long_value_is_cut_short_in_the_message(api_client, chain):
    response = api_client.get(reverse("api:compare-list"), {"j": ["chicago"], "on": "x" * 5000})

    assert response.status_code == 400
    assert response.json()["on"] == [
        f"“{'x' * 60}…” is not a date: give one as YYYY-MM-DD, e.g. 2019-07-15."
    ]


# The CSV


def test_the_csv_has_one_row_per_question_and_columns_per_place(client, rules):
    response = client.get(
        reverse("profiles:compare-csv"), {"j": ["chicago", "cook-county"], "on": ON}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="comparison-2019-07-15.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "question",
        "question_label",
        "comparison",
        "chicago:position",
        "chicago:rule",
        "chicago:rule_url",
        "chicago:inherited_from",
        "chicago:reviewed_on",
        "cook-county:position",
        "cook-county:rule",
        "cook-county:rule_url",
        "cook-county:inherited_from",
        "cook-county:reviewed_on",
    ]
    assert [row[0] for row in rows[1:]] == list(Dimension.values)
    by_question = {row[0]: row for row in rows[1:]}
    assert by_question["detainers"] == [
        "detainers",
        "Honoring ICE detainers",
        "differs",
        "limits",
        "Welcoming City Ordinance",
        "http://testserver/ordinances/welcoming-city/",
        "",
        "",
        "prohibits",
        "Illinois TRUST Act",
        "http://testserver/ordinances/trust-act/",
        "illinois",
        "",
    ]
    assert by_question["jail_access"] == [
        "jail_access",
        "ICE access to jails and to people in custody",
        "not_recorded",
        *["", "", "", "", ""],
        *["", "", "", "", "2024-05-02"],
    ]


# The API


def test_the_api_gives_the_comparison_in_full(api_client, rules):
    response = api_client.get(
        reverse("api:compare-list"), {"j": ["chicago", "cook-county"], "on": ON}
    )

    assert response.status_code == 200
    data = response.json()
    trust = rules.state.provisions.get(dimension=DETAINERS)
    query = f"j=chicago&j=cook-county&on={ON}"
    api = "http://testserver/api/v1"
    assert {key: value for key, value in data.items() if key != "rows"} == {
        "on": ON,
        "html_url": f"http://testserver/compare/?{query}",
        "csv_url": f"http://testserver/compare.csv?{query}",
        "places": [
            {
                "slug": "chicago",
                "name": "Chicago",
                "kind": "city",
                "url": f"{api}/jurisdictions/chicago/",
                "html_url": "http://testserver/jurisdictions/chicago/",
                "questions_reviewed": 0,
                "questions_with_a_rule": 2,
            },
            {
                "slug": "cook-county",
                "name": "Cook County",
                "kind": "county",
                "url": f"{api}/jurisdictions/cook-county/",
                "html_url": "http://testserver/jurisdictions/cook-county/",
                "questions_reviewed": 1,
                "questions_with_a_rule": 2,
            },
        ],
        "differing_count": 1,
    }
    assert [row["question"] for row in data["rows"]] == list(Dimension.values)
    detainers = data["rows"][0]
    assert detainers["cells"][1] == {
        "place": "cook-county",
        "position": "prohibits",
        "governing": {
            "position": "prohibits",
            "position_label": "Prohibits",
            "rule": {
                "type": "ordinance",
                "slug": "trust-act",
                "title": "Illinois TRUST Act",
                "url": f"{api}/ordinances/trust-act/",
                "html_url": "http://testserver/ordinances/trust-act/",
            },
            "place": {
                "slug": "illinois",
                "name": "Illinois",
                "url": f"{api}/jurisdictions/illinois/",
            },
            "clause": trust.clause,
            "reported_by": "",
            "in_force_from": "2017-08-28",
            "source": {
                "id": trust.source.pk,
                "title": trust.source.title,
                "url": f"{api}/sources/{trust.source.pk}/",
                "locator": "",
            },
        },
        "inherited_from": {
            "slug": "illinois",
            "name": "Illinois",
            "url": f"{api}/jurisdictions/illinois/",
        },
        "prevails_over": [],
        "practice": [],
        "reviewed": False,
        "reviewed_on": None,
        "review_note": "",
    }
    assert {key: value for key, value in detainers.items() if key != "cells"} == {
        "question": "detainers",
        "label": "Honoring ICE detainers",
        "question_text": "Do local jails hold people past their release because ICE asks?",
        "comparison": "differs",
        "differs": True,
    }
    assert detainers["cells"][0]["inherited_from"] is None
    jail = next(row for row in data["rows"] if row["question"] == "jail_access")
    assert jail["comparison"] == "not_recorded"
    assert jail["cells"] == [
        {
            "place": "chicago",
            "position": None,
            "governing": None,
            "inherited_from": None,
            "prevails_over": [],
            "practice": [],
            "reviewed": False,
            "reviewed_on": None,
            "review_note": "",
        },
        {
            "place": "cook-county",
            "position": None,
            "governing": None,
            "inherited_from": None,
            "prevails_over": [],
            "practice": [],
            "reviewed": True,
            "reviewed_on": "2024-05-02",
            "review_note": "Checked the board's minutes.",
        },
    ]


def test_the_api_lists_what_a_binding_broader_rule_prevails_over(api_client, chain):
    provision(chain.state, Position.REQUIRES, binds=True)
    provision(chain.city, Position.PROHIBITS)

    data = api_client.get(
        reverse("api:compare-list"), {"j": ["chicago", "illinois"], "on": ON}
    ).json()

    city = data["rows"][0]["cells"][0]
    assert city["position"] == "requires"
    assert [item["position"] for item in city["prevails_over"]] == ["prohibits"]
    assert city["prevails_over"][0]["place"]["slug"] == "chicago"


def test_the_api_answers_with_a_format_suffix_too(api_client, chain):
    response = api_client.get(
        reverse("api:compare-list", kwargs={"format": "json"}),
        {"j": ["chicago", "illinois"], "on": ON},
    )

    assert response.status_code == 200
    assert response.json()["on"] == ON


def test_the_api_is_read_only(api_client, chain):
    response = api_client.post(reverse("api:compare-list"), {"j": ["chicago", "illinois"]})

    assert response.status_code == 405


def test_the_schema_documents_the_comparison_and_its_parameters(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/compare/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["j"]["required"] is True
    assert parameters["j"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert parameters["on"]["schema"] == {"type": "string", "format": "date"}
    assert set(operation["responses"]) == {"200", "400", "403", "414", "429"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Comparison"  # one object, not a list
    }
    assert "ComparedCell" in schema["components"]["schemas"]


# The same number of queries whatever the number of provisions


def fill(chain, size):
    """`size` provisions of every kind of rule on several questions, for each place."""
    for place in (chain.nation, chain.state, chain.county, chain.city):
        agency = AgencyFactory(jurisdiction=place)
        for _ in range(size):
            provision(place, Position.LIMITS, binds=True)
            provision(place, Position.PERMITS, dimension=STATUS, binds=True)
            ProvisionFactory(
                ordinance=None,
                agreement=AgreementFactory(local_party=agency),
                dimension=Dimension.AGREEMENT_287G,
                position=Position.PARTICIPATES,
            )
            ProvisionFactory(
                ordinance=None,
                statement=StatementFactory(
                    speaker_agency=agency,
                    made_on=datetime.date(2010, 1, 1),
                    made_on_precision="day",
                ),
                jurisdiction=place,
                dimension=DETAINERS,
                position=Position.PROHIBITS,
                basis="practice",
                reported_by="A newspaper",
                clause="",
            )
        review(place, JAIL)


COUNTED = [
    # The places, then profiles_of's three: containments, provisions, reviews.
    ("profiles:compare", 4),
    ("profiles:compare-csv", 4),
    ("api:compare-list", 4),
]


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize(("name", "queries"), COUNTED, ids=[name for name, _ in COUNTED])
@pytest.mark.parametrize(
    "slugs",
    [["chicago", "illinois"], ["chicago", "cook-county", "illinois", "united-states"]],
    ids=["two-places", "four-places"],
)
def test_a_comparison_makes_the_same_queries_whatever_the_provisions(
    client, django_assert_num_queries, chain, size, name, queries, slugs
):
    fill(chain, size)

    with django_assert_num_queries(queries):
        response = client.get(reverse(name), {"j": slugs, "on": ON})
        if response.streaming:
            b"".join(response.streaming_content)

    assert response.status_code == 200
