"""A place's timeline: its own and inherited records' dated events, drawn and listed."""

import datetime
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.urls import reverse

from agreements.models import AgreementStatus
from jurisdictions.models import LiesWithin, OrdinanceKind, OrdinanceStatus
from policytracker.dates import DatePrecision, PreciseDate
from policytracker.profiles.timeline import (
    LEFT,
    RIGHT,
    WIDTH,
    EventKind,
    chart_of,
    period,
    place_timeline,
    ticks,
)
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    ProvisionFactory,
    SourceFactory,
    StatementFactory,
)
from tests.worlds import SIZES, built_once, dated

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
TODAY = datetime.date(2024, 6, 15)


@pytest.fixture
def world(places):
    """Chicago's own records, and those of the places above it that bind it or not."""
    city, county, state, nation = places.city, places.county, places.state, places.nation
    welcoming = OrdinanceFactory(
        title="Welcoming City Ordinance",
        slug="welcoming-city",
        jurisdiction=city,
        **dated("adopted_on", datetime.date(2012, 9, 1), "month"),
    )
    amendment = OrdinanceFactory(
        title="Welcoming City amendment",
        slug="welcoming-amendment",
        jurisdiction=city,
        **dated("adopted_on", datetime.date(2017, 3, 8)),
    )
    amendment.amends.set([welcoming])
    county_rule = OrdinanceFactory(
        title="Cook County detainer ordinance",
        jurisdiction=county,
        **dated("adopted_on", datetime.date(2011, 9, 7)),
    )
    ProvisionFactory(ordinance=county_rule, binds_places_within=True)
    county_resolution = OrdinanceFactory(
        title="Cook County board resolution",
        kind=OrdinanceKind.RESOLUTION,
        jurisdiction=county,
        **dated("adopted_on", datetime.date(2018, 1, 1)),
    )
    ProvisionFactory(ordinance=county_resolution, binds_places_within=False)
    trust_act = OrdinanceFactory(
        title="Illinois TRUST Act",
        kind=OrdinanceKind.STATUTE,
        jurisdiction=state,
        **dated("adopted_on", datetime.date(2017, 8, 28)),
        **dated("effective_on", datetime.date(2017, 8, 28)),
    )
    state_order = OrdinanceFactory(
        title="Governor's order",
        kind=OrdinanceKind.EXECUTIVE_ORDER,
        jurisdiction=state,
        **dated("adopted_on", datetime.date(2019, 1, 1), "year"),
    )
    federal_statute = OrdinanceFactory(
        title="Immigration and Nationality Act, section 287(g)",
        kind=OrdinanceKind.STATUTE,
        jurisdiction=nation,
        **dated("adopted_on", datetime.date(1996, 9, 30)),
    )
    dupage_rule = OrdinanceFactory(
        title="DuPage County rule",
        jurisdiction=places.dupage,
        **dated("adopted_on", datetime.date(2015, 1, 1)),
    )
    ProvisionFactory(ordinance=dupage_rule, binds_places_within=True)
    deal = AgreementFactory(
        title="CPD and ICE task force",
        slug="cpd-ice-task-force",
        local_party=places.cpd,
        federal_party=places.ice,
        status=AgreementStatus.TERMINATED,
        **dated("signed_on", datetime.date(2015, 5, 1)),
        **dated("terminated_on", datetime.date(2019, 1, 1), "year"),
    )
    talk = StatementFactory(
        title="Mayor on detainers",
        slug="mayor-on-detainers",
        speaker_agency=places.cpd,
        about_jurisdictions=[city],
        **dated("made_on", datetime.date(2018, 3, 1), "month"),
    )
    state_talk = StatementFactory(
        title="Chiefs on the TRUST Act",
        speaker_agency=places.ice,
        about_jurisdictions=[state],
        **dated("made_on", datetime.date(2017, 9, 1)),
    )
    ProvisionFactory(statement=state_talk, binds_places_within=True)
    state_remark = StatementFactory(
        title="A remark about Illinois",
        speaker_agency=places.ice,
        about_jurisdictions=[state],
        **dated("made_on", datetime.date(2020, 2, 2)),
    )
    undated = StatementFactory(
        title="An undated remark", speaker_agency=places.cpd, about_jurisdictions=[city]
    )
    return SimpleNamespace(
        **vars(places),
        welcoming=welcoming,
        amendment=amendment,
        county_rule=county_rule,
        county_resolution=county_resolution,
        trust_act=trust_act,
        state_order=state_order,
        federal_statute=federal_statute,
        dupage_rule=dupage_rule,
        deal=deal,
        talk=talk,
        state_talk=state_talk,
        state_remark=state_remark,
        undated=undated,
    )


def events_of(timeline):
    return [(str(e.record), e.kind, e.place.name, e.own) for e in timeline.events]


def timeline_url(place):
    return reverse("jurisdictions:timeline", kwargs={"slug": place.slug})


def chart_svg(response):
    """The page's chart, parsed as XML: it must be well-formed on its own."""
    html = response.content.decode()
    match = re.search(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert match, "no chart on the page"
    return ET.fromstring(match.group(0))


def test_timeline_lists_own_and_inherited_events_with_whose_they_are(world):
    timeline = place_timeline(world.city, user=None, today=TODAY)

    assert events_of(timeline) == [
        ("Immigration and Nationality Act, section 287(g)", "adopted", "United States", False),
        ("Cook County detainer ordinance", "adopted", "Cook County", False),
        ("Welcoming City Ordinance", "adopted", "Chicago", True),
        ("CPD and ICE task force", "signed", "Chicago", True),
        ("Welcoming City amendment", "adopted", "Chicago", True),
        ("Welcoming City Ordinance", "amended", "Chicago", True),
        ("Illinois TRUST Act", "adopted", "Illinois", False),
        ("Illinois TRUST Act", "effective", "Illinois", False),
        ("Chiefs on the TRUST Act", "made", "Illinois", False),
        ("Mayor on detainers", "made", "Chicago", True),
        ("CPD and ICE task force", "terminated", "Chicago", True),
    ]
    assert (timeline.own_count, timeline.inherited_count) == (6, 5)
    assert [str(entry.record) for entry in timeline.undated] == ["An undated remark"]


def test_timeline_leaves_out_what_places_above_adopt_without_binding_it(world):
    titles = {str(entry.record) for entry in place_timeline(world.city, user=None).entries}

    # Not binding: a county resolution, a state executive order, a statement about the state
    # with no provision; a county Chicago does not lie within.
    assert titles.isdisjoint(
        {"Cook County board resolution", "Governor's order", "A remark about Illinois"}
    )
    assert "DuPage County rule" not in titles


def test_timeline_of_a_place_in_two_counties_inherits_from_both(world):
    LiesWithin.objects.create(place=world.city, within=world.dupage)

    timeline = place_timeline(world.city, user=None)

    inherited = {(str(e.record), e.place.name) for e in timeline.events if not e.own}
    assert ("DuPage County rule", "DuPage County") in inherited
    assert ("Cook County detainer ordinance", "Cook County") in inherited


def test_timeline_of_the_nation_has_its_own_events_and_inherits_none(world):
    timeline = place_timeline(world.nation, user=None)

    assert timeline.containers == []
    assert events_of(timeline) == [
        ("Immigration and Nationality Act, section 287(g)", "adopted", "United States", True)
    ]


def test_timeline_statement_about_several_places_is_the_nearest_ones(world):
    world.state_talk.about_jurisdictions.add(world.county)
    world.talk.about_jurisdictions.add(world.state)

    whose = {
        str(e.record): (e.place.name, e.own) for e in place_timeline(world.city, user=None).events
    }

    assert whose["Chiefs on the TRUST Act"] == ("Cook County", False)
    assert whose["Mayor on detainers"] == ("Chicago", True)


def test_timeline_amended_ordinance_has_the_amendments_adoption_as_an_event(world):
    events = [
        e for e in place_timeline(world.city, user=None).events if e.record == world.welcoming
    ]

    assert [(e.kind, e.date) for e in events] == [
        (EventKind.ADOPTED, PreciseDate(datetime.date(2012, 9, 1), DatePrecision.MONTH)),
        (EventKind.AMENDED, PreciseDate(datetime.date(2017, 3, 8), DatePrecision.DAY)),
    ]
    assert events[1].by == world.amendment
    assert events[1].label == "Amended by “Welcoming City amendment”"


def test_timeline_page_says_amendment_and_links_both_rules(client, world):
    response = client.get(timeline_url(world.city))

    html = response.content.decode()
    item = re.search(r"<li[^>]*>((?:(?!</li>).)*Amended:(?:(?!</li>).)*)</li>", html, re.DOTALL)
    assert item, "no amended event in the list"
    assert 'datetime="2017-03-08">March 8, 2017</time>' in item.group(1)
    assert f'href="{world.welcoming.get_absolute_url()}"' in item.group(1)
    assert f'href="{world.amendment.get_absolute_url()}"' in item.group(1)


def test_timeline_page_links_every_event_to_its_record(client, world):
    response = client.get(timeline_url(world.city))

    assert response.status_code == 200
    html = response.content.decode()
    items = re.findall(r'<li class="timeline-list__event.*?</li>', html, re.DOTALL)
    assert len(items) == 11
    for record in (
        world.welcoming,
        world.amendment,
        world.county_rule,
        world.trust_act,
        world.federal_statute,
        world.deal,
        world.talk,
        world.state_talk,
    ):
        assert any(f'href="{record.get_absolute_url()}"' in item for item in items), record
    assert "Inherited from Cook County" in html
    assert "Inherited from Illinois" in html
    assert f'href="{world.undated.get_absolute_url()}"' in html  # listed apart, undated


def test_timeline_month_precision_date_is_said_as_the_month(client, world):
    response = client.get(timeline_url(world.city))

    html = response.content.decode()
    assert '<time datetime="2012-09">September 2012</time>' in html
    assert "September 1, 2012" not in html  # no day invented
    assert '<time datetime="2019">2019</time>' in html  # the termination, known to the year


def test_timeline_month_precision_date_is_drawn_over_its_month(client, world):
    response = client.get(timeline_url(world.city), {"from": "2012", "to": "2012"})

    svg = chart_svg(response)
    spans = svg.findall(f".//{SVG}rect[@class='timeline-chart__span']")
    assert len(spans) == 1
    assert spans[0].find(f"{SVG}title").text == (
        "September 2012: Adopted, Welcoming City Ordinance"
    )
    # 2012 has 366 days; September is days 244 to 273 of it.
    scale = (WIDTH - LEFT - RIGHT) / 366
    assert float(spans[0].get("x")) == pytest.approx(LEFT + 244 * scale, abs=0.1)
    assert float(spans[0].get("width")) == pytest.approx(30 * scale, abs=0.2)
    assert not svg.findall(f".//{SVG}circle")  # nothing else happened that year


def test_timeline_day_precision_date_is_drawn_as_a_dot(client, world):
    response = client.get(timeline_url(world.city), {"from": "2015", "to": "2015"})

    svg = chart_svg(response)
    dots = svg.findall(f".//{SVG}circle")
    assert [dot.find(f"{SVG}title").text for dot in dots] == [
        "May 1, 2015: Signed, CPD and ICE task force"
    ]
    scale = (WIDTH - LEFT - RIGHT) / 365
    assert float(dots[0].get("cx")) == pytest.approx(LEFT + 120.5 * scale, abs=0.1)


def test_timeline_chart_is_well_formed_accessible_svg(client, world):
    response = client.get(timeline_url(world.city))

    svg = chart_svg(response)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert re.fullmatch(r"0 0 360 [0-9.]+", svg.get("viewBox"))
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Timeline of Chicago"
    assert desc.text.startswith("11 events from 1996 to ")
    assert "6 of Chicago itself, 5 inherited" in desc.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    sizes = {float(svg.get("font-size"))} | {
        float(text.get("font-size")) for text in svg.iter(f"{SVG}text") if text.get("font-size")
    }
    assert min(sizes) >= 15  # 12 px on a 320 px phone
    assert not svg.findall(f".//{SVG}script")
    assert not [el for el in svg.iter() if any(v.startswith("http") for v in el.attrib.values())]


def test_timeline_chart_has_a_lane_per_record_grouped_by_whose(client, world):
    response = client.get(timeline_url(world.city))

    svg = chart_svg(response)
    headings = [
        t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "timeline-chart__heading"
    ]
    assert headings == [
        "Chicago: its own",
        "Cook County: inherited",
        "Illinois: inherited",
        "United States: inherited",
    ]
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "timeline-chart__label"]
    assert labels[:4] == [
        "Welcoming City Ordinance",
        "CPD and ICE task force",
        "Welcoming City amendment",
        "Mayor on detainers",
    ]
    assert len(labels) == 8


def test_timeline_in_force_bars_follow_status_and_dates(world):
    chart = chart_of(place_timeline(world.city, user=None, today=TODAY), today=TODAY)

    bars = {str(lane.entry.record): lane.bar for g in chart.groups for lane in g.lanes}
    assert (chart.first_year, chart.last_year) == (1996, 2024)  # to today: a bar runs on
    welcoming = bars["Welcoming City Ordinance"]
    assert welcoming.open_ended  # in force, with no end date: it runs to today, arrowed
    assert welcoming.x + welcoming.width == pytest.approx(chart.today_x, abs=0.2)
    deal = bars["CPD and ICE task force"]  # signed in 2015, terminated in 2019
    assert not deal.open_ended
    scale = (WIDTH - LEFT - RIGHT) / (
        datetime.date(2025, 1, 1).toordinal() - datetime.date(1996, 1, 1).toordinal()
    )
    start = datetime.date(2015, 5, 1).toordinal() - datetime.date(1996, 1, 1).toordinal()
    end = datetime.date(2019, 1, 1).toordinal() - datetime.date(1996, 1, 1).toordinal()
    assert deal.x == pytest.approx(LEFT + start * scale, abs=0.1)
    assert deal.width == pytest.approx((end - start) * scale, abs=0.2)
    assert bars["Mayor on detainers"] is None  # a statement has no time in force


def test_timeline_ended_rule_with_no_end_date_has_no_bar(world):
    world.welcoming.status = OrdinanceStatus.REPEALED
    world.welcoming.save()
    world.county_rule.status = OrdinanceStatus.UNKNOWN
    world.county_rule.save()

    entries = {str(e.record): e for e in place_timeline(world.city, user=None).entries}

    assert entries["Welcoming City Ordinance"].in_force is None
    assert entries["Cook County detainer ordinance"].in_force is None
    assert entries["Illinois TRUST Act"].in_force.start.value == datetime.date(2017, 8, 28)


def test_timeline_agreement_expiry_to_come_is_due_not_expired(places):
    deal = AgreementFactory(
        local_party=places.cpd,
        federal_party=places.ice,
        **dated("signed_on", datetime.date(2020, 1, 1)),
        **dated("expires_on", datetime.date(2024, 6, 1), "month"),
    )
    ended = AgreementFactory(
        local_party=places.cpd,
        federal_party=places.ice,
        **dated("signed_on", datetime.date(2010, 1, 1)),
        **dated("terminated_on", datetime.date(2011, 1, 1)),
        **dated("expires_on", datetime.date(2013, 1, 1)),
    )

    kinds = {}
    for event in place_timeline(places.city, user=None, today=TODAY).events:
        kinds.setdefault(event.record, []).append(event.kind)

    assert kinds[deal] == [EventKind.SIGNED, EventKind.EXPIRES]  # June 2024 is not over
    assert kinds[ended] == [EventKind.SIGNED, EventKind.TERMINATED]  # it never expired


def test_timeline_hides_drafts_from_the_public_and_shows_them_to_staff(
    client, staff_client, world
):
    draft_rule = OrdinanceFactory(
        title="Draft rule",
        jurisdiction=world.city,
        publication_state="draft",
        **dated("adopted_on", datetime.date(2020, 1, 1)),
    )
    draft_amendment = OrdinanceFactory(
        title="Draft amendment",
        jurisdiction=world.city,
        publication_state="draft",
        **dated("adopted_on", datetime.date(2021, 1, 1)),
    )
    draft_amendment.amends.set([world.welcoming])
    draft_statute = OrdinanceFactory(
        title="Draft statute",
        kind=OrdinanceKind.STATUTE,
        jurisdiction=world.state,
        publication_state="draft",
        **dated("adopted_on", datetime.date(2020, 1, 1)),
    )
    draft_talk = StatementFactory(
        title="Draft statement",
        speaker_agency=world.cpd,
        about_jurisdictions=[world.city],
        publication_state="draft",
        **dated("made_on", datetime.date(2020, 1, 1)),
    )
    hidden = [draft_rule, draft_amendment, draft_statute, draft_talk]

    public = client.get(timeline_url(world.city)).content.decode()
    staff = staff_client.get(timeline_url(world.city)).content.decode()

    for record in hidden:
        assert record.title not in public
        assert record.get_absolute_url() not in public
        assert record.title in staff


def test_timeline_does_not_inherit_through_a_draft_place(world):
    draft_county = JurisdictionFactory(
        name="Draft County", kind="county", parent=world.state, publication_state="draft"
    )
    LiesWithin.objects.create(place=world.city, within=draft_county)
    talk = StatementFactory(
        speaker_agency=world.ice,
        about_jurisdictions=[draft_county],
        **dated("made_on", datetime.date(2020, 1, 1)),
    )
    ProvisionFactory(statement=talk, binds_places_within=True)

    timeline = place_timeline(world.city, user=None)

    assert draft_county not in timeline.containers
    assert talk not in [entry.record for entry in timeline.entries]


def test_timeline_of_a_draft_place_is_not_found_for_the_public(client, staff_client, chain):
    draft = JurisdictionFactory(
        slug="draft-town", kind="city", parent=chain.county, publication_state="draft"
    )

    assert client.get(timeline_url(draft)).status_code == 404
    assert staff_client.get(timeline_url(draft)).status_code == 200


def test_timeline_of_an_unknown_place_is_not_found(client, db):
    url = reverse("jurisdictions:timeline", kwargs={"slug": "atlantis"})

    assert client.get(url).status_code == 404


def test_timeline_of_a_renamed_place_redirects_to_its_new_address(client, chain):
    chain.city.slug = "chicago-il"
    chain.city.save()

    response = client.get(reverse("jurisdictions:timeline", kwargs={"slug": "chicago"}))

    assert response.status_code == 301
    assert response["Location"] == reverse("jurisdictions:timeline", kwargs={"slug": "chicago-il"})


def test_timeline_years_keep_only_the_events_between_them(client, world):
    response = client.get(timeline_url(world.city), {"from": "2017", "to": "2018"})

    assert response.status_code == 200
    html = response.content.decode()
    listed = re.findall(r'<li class="timeline-list__event.*?</li>', html, re.DOTALL)
    titles = [re.search(r'<a href="[^"]*">([^<]*)</a>', item).group(1) for item in listed]
    assert titles == [
        "Welcoming City amendment",
        "Welcoming City Ordinance",
        "Illinois TRUST Act",
        "Illinois TRUST Act",
        "Chiefs on the TRUST Act",
        "Mayor on detainers",
    ]
    svg = chart_svg(response)
    years = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "timeline-chart__year"]
    assert years == ["2017", "2018"]
    # Rules in force then keep their lane, with no event in it; a rule ended before, not.
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "timeline-chart__label"]
    assert "Welcoming City Ordinance" in labels
    assert "Immigration and Nationality Act, section …" in labels
    assert "CPD and ICE task force" in labels  # terminated in 2019
    assert "Cook County detainer ordinance" in labels


def test_timeline_years_with_no_event_say_so(client, world):
    world.welcoming.status = OrdinanceStatus.UNKNOWN
    world.welcoming.save()

    response = client.get(timeline_url(world.city), {"from": "1990", "to": "1995"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" not in html
    assert "No dated event is recorded for Chicago in these years." in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "twenty"}, "Enter a whole number."),
        ({"to": "2019.5"}, "Enter a whole number."),
        ({"from": "0"}, "greater than or equal to 1"),
        ({"to": "100000"}, "less than or equal to 9999"),
        ({"from": "2019", "to": "2012"}, "The first year comes after the last"),
    ],
)
def test_timeline_bad_years_answer_400_with_a_message(client, world, params, message):
    response = client.get(timeline_url(world.city), params)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "These years could not be shown" in html
    assert "<svg" not in html


def test_timeline_of_a_place_with_no_dated_event_says_so(client, chain):
    response = client.get(timeline_url(chain.city))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" not in html
    assert "No dated event is recorded for Chicago" in html


def test_jurisdiction_page_links_its_timeline(client, chain):
    response = client.get(chain.city.get_absolute_url())

    assert f'href="{timeline_url(chain.city)}"' in response.content.decode()


def test_period_of_a_precise_date_is_its_day_month_or_year():
    def days(value, precision):
        first, after = period(PreciseDate(value, precision))
        return datetime.date.fromordinal(first), datetime.date.fromordinal(after)

    assert days(datetime.date(2012, 9, 14), "day") == (
        datetime.date(2012, 9, 14),
        datetime.date(2012, 9, 15),
    )
    assert days(datetime.date(2012, 2, 1), "month") == (
        datetime.date(2012, 2, 1),
        datetime.date(2012, 3, 1),
    )
    assert days(datetime.date(2012, 1, 1), "year") == (
        datetime.date(2012, 1, 1),
        datetime.date(2013, 1, 1),
    )
    assert period(PreciseDate(datetime.date(9999, 12, 1), "month"))[1] == (
        datetime.date.max.toordinal() + 1
    )


def test_axis_labels_the_first_year_and_round_ones_with_room_between():
    def axis(first_year, last_year):
        first = datetime.date(first_year, 1, 1).toordinal()
        after = datetime.date(last_year + 1, 1, 1).toordinal()
        return ticks(
            first_year,
            last_year,
            lambda ordinal: LEFT + (ordinal - first) / (after - first) * (WIDTH - LEFT - RIGHT),
        )

    years = axis(1996, 2024)
    assert [tick.year for tick in years] == list(range(1996, 2025))  # a tick for every year
    assert [tick.year for tick in years if tick.label] == [1996, 2000, 2005, 2010, 2015, 2020]
    # 2000 is too near 1998 for its label to fit between.
    labelled = [tick.year for tick in axis(1998, 2024) if tick.label]
    assert labelled == [1998, 2005, 2010, 2015, 2020]
    # A single year: its label alone.
    assert [(tick.year, tick.label) for tick in axis(2012, 2012)] == [(2012, True)]

    many = [tick for tick in ticks(1, 9999, lambda o: LEFT) if tick.label]
    assert [tick.year for tick in many] == [1]  # all at one point: one label has room


def build_timeline_world(size):
    """A city under a nation, a state and `size // 10` more places, each of them with `size`
    binding rules (each amended), statutes, binding agreements and binding statements, and a
    draft rule beside them."""
    nation = JurisdictionFactory(slug="deep-nation", kind="nation")
    parent = JurisdictionFactory(slug="deep-state", kind="state", parent=nation)
    for depth in range(size // 10):
        parent = JurisdictionFactory(slug=f"deep-{depth}", kind="other", parent=parent)
    city = JurisdictionFactory(slug="deep-city", kind="city", parent=parent)
    federal = AgencyFactory(kind="federal_agency", jurisdiction=nation)
    source = SourceFactory()
    for row in city.containments.select_related("within"):
        place = row.within
        agency = AgencyFactory(jurisdiction=place)
        for n in range(size):
            rule = OrdinanceFactory(
                jurisdiction=place, **dated("adopted_on", datetime.date(2000 + n % 20, 1, 1))
            )
            ProvisionFactory(ordinance=rule, binds_places_within=True, source=source)
            amendment = OrdinanceFactory(
                jurisdiction=place,
                **dated("adopted_on", datetime.date(2021, 1 + n % 12, 1), "month"),
            )
            amendment.amends.set([rule])
            OrdinanceFactory(
                jurisdiction=place,
                kind=OrdinanceKind.STATUTE,
                **dated("effective_on", datetime.date(2005, 1, 1), "year"),
            )
            deal = AgreementFactory(
                local_party=agency,
                federal_party=federal,
                **dated("signed_on", datetime.date(2010, 5, 5)),
            )
            ProvisionFactory(agreement=deal, binds_places_within=True, source=source)
            talk = StatementFactory(
                speaker_agency=agency,
                about_jurisdictions=[place],
                **dated("made_on", datetime.date(2019, 7, 1), "month"),
            )
            ProvisionFactory(statement=talk, binds_places_within=True, source=source)
        OrdinanceFactory(
            jurisdiction=place,
            publication_state="draft",
            **dated("adopted_on", datetime.date(2001, 1, 1)),
        )
    levels = city.containments.count()
    # Each level: a rule adopted and amended, an agreement signed, a statement made. The
    # city's own amendments too, and the statutes of the nation, the state and the city.
    events = levels * size * 4 + size + 3 * size
    return SimpleNamespace(size=size, city=city, levels=levels, events=events)


@pytest.fixture(scope="class")
def timeline_world(request, django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_timeline_world, request.param)


class TestTimelineQueries:
    @pytest.mark.parametrize("timeline_world", SIZES, indirect=True)
    def test_timeline_page_makes_six_queries_whatever_the_size_and_depth(
        self, client, django_assert_num_queries, timeline_world
    ):
        # The place; its containments; its ordinances and their amendments; its agreements;
        # its statements, each with the nearest place it is about.
        with django_assert_num_queries(6):
            response = client.get(timeline_url(timeline_world.city))

        assert response.status_code == 200
        html = response.content.decode()
        events = re.findall(r'<li class="timeline-list__event', html)
        assert len(events) == timeline_world.events
        assert len(chart_svg(response).findall(f".//{SVG}g[@class='timeline-chart__lane']")) > 0
