"""Which places lie within which: the closure of `parent`, kept right by every write."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from jurisdictions import models as jurisdiction_models
from jurisdictions.models import Containment, Jurisdiction, JurisdictionKind, LiesWithin
from tests.factories import JurisdictionFactory


def containments():
    return set(Containment.objects.values_list("place_id", "within_id", "depth"))


def from_parents():
    """What the containments must be: each place with itself and each place above it."""
    rows = set()
    for place in Jurisdiction.objects.all():
        rows.add((place.pk, place.pk, 0))
        for depth, above in enumerate(reversed(place.ancestors()), start=1):
            rows.add((place.pk, above.pk, depth))
    return rows


def test_a_new_place_lies_within_itself_and_each_place_above_it(chain):
    assert containments() == from_parents()
    assert set(Jurisdiction.objects.within(chain.state)) == {chain.state, chain.county, chain.city}
    assert set(Jurisdiction.objects.within(chain.state, itself=False)) == {
        chain.county,
        chain.city,
    }
    assert list(Jurisdiction.objects.within(chain.city)) == [chain.city]


def test_moving_a_county_moves_every_place_inside_it(chain):
    indiana = JurisdictionFactory(kind=JurisdictionKind.STATE, parent=chain.nation)
    chain.county.parent = indiana
    chain.county.save()
    assert containments() == from_parents()
    assert chain.city in Jurisdiction.objects.within(indiana)
    assert chain.city not in Jurisdiction.objects.within(chain.state)


def test_saving_without_moving_rewrites_nothing(chain):
    city = Jurisdiction.objects.get(pk=chain.city.pk)
    city.name = "City of Chicago"
    with CaptureQueriesContext(connection) as queries:
        city.save()
    assert not [q for q in queries if Containment._meta.db_table in q["sql"]]
    city.parent = chain.state
    with CaptureQueriesContext(connection) as queries:
        city.save()
    assert [q for q in queries if Containment._meta.db_table in q["sql"]]
    assert containments() == from_parents()


def test_a_deleted_place_leaves_no_containment(chain):
    chain.city.delete()
    assert not Containment.objects.filter(place_id=chain.city.pk).exists()
    assert containments() == from_parents()


def test_rebuild_repairs_a_raw_write_and_stops_at_a_loop(chain):
    Jurisdiction.objects.filter(pk=chain.city.pk).update(parent=chain.state)
    Containment.objects.rebuild([chain.city.pk])
    assert containments() == from_parents()
    # A loop a raw write made (clean() forbids it) ends the walk instead of running forever.
    Jurisdiction.objects.filter(pk=chain.state.pk).update(parent=chain.city)
    Containment.objects.rebuild()
    assert Containment.objects.filter(place=chain.city, within=chain.state, depth=1).exists()
    assert Containment.objects.filter(place=chain.state, within=chain.city, depth=1).exists()


def test_many_places_are_rebuilt_whole(chain, monkeypatch):
    monkeypatch.setattr(jurisdiction_models, "REBUILD_ALL_ABOVE", 1)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Containment._meta.db_table}")
    Containment.objects.rebuild([chain.county.pk, chain.city.pk])
    assert containments() == from_parents()


def test_the_command_rewrites_every_containment(chain, capsys):
    Containment.objects.all().delete()
    call_command("rebuild_containments")
    assert containments() == from_parents()
    assert "10 containments written" in capsys.readouterr().out


@pytest.mark.parametrize("depth", [0, 1])
def test_the_database_refuses_a_containment_whose_depth_lies(chain, depth):
    place, within = (chain.city, chain.county) if depth == 0 else (chain.city, chain.city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Containment.objects.create(place=place, within=within, depth=depth)


# A place may lie within more than one: Chicago reaches into DuPage County at O'Hare.


def test_a_place_within_two_counties_is_within_both_and_each_state_once(places):
    places.city.also_within.add(places.dupage)

    assert places.city in Jurisdiction.objects.within(places.dupage)
    assert places.city in Jurisdiction.objects.within(places.county)
    assert Containment.objects.get(place=places.city, within=places.state).depth == 2
    assert containments() == from_parents() | {(places.city.pk, places.dupage.pk, 1)}


def test_the_places_inside_follow_a_second_container_and_its_removal(places):
    ohare = JurisdictionFactory(kind="other", parent=places.city, slug="ohare")
    link = LiesWithin.objects.create(place=places.city, within=places.dupage)
    assert ohare in Jurisdiction.objects.within(places.dupage)

    link.delete()

    assert ohare not in Jurisdiction.objects.within(places.dupage)
    assert containments() == from_parents()


def test_removing_every_place_a_county_also_contains_rewrites_them(places):
    places.dupage.also_containing.add(places.city)
    places.dupage.also_containing.clear()

    assert containments() == from_parents()


def test_a_second_container_inside_the_place_is_refused(places):
    link = LiesWithin(place=places.county, within=places.city)

    with pytest.raises(ValidationError, match="loop"):
        link.clean()


def test_staff_add_a_second_county_on_the_place_admin_page(places, staff_client):
    from django.urls import reverse

    url = reverse("admin:jurisdictions_jurisdiction_change", args=[places.city.pk])
    page = staff_client.get(url)
    assert "Other places it lies within (besides its parent)" in page.content.decode()
    form = page.context["adminform"].form
    data = {
        **{name: value for name, value in form.initial.items() if value is not None},
        "parent": places.county.pk,
        "publication_state": places.city.publication_state,
        "version": places.city.version,
    }
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        lies_within = formset.formset.model is LiesWithin
        data[f"{prefix}-TOTAL_FORMS"] = "1" if lies_within else "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        if lies_within:
            data[f"{prefix}-0-within"] = places.dupage.pk
    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert places.city in Jurisdiction.objects.within(places.dupage)
