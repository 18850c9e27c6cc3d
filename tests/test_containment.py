"""Which places lie within which: the closure of `parent`, kept right by every write."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from jurisdictions import models as jurisdiction_models
from jurisdictions.models import Containment, Jurisdiction, JurisdictionKind
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
