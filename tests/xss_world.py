"""A world whose every text field holds a stored-XSS payload, for tests/test_xss.py and the
browser's tests/browser/test_security.py.

Every CharField and TextField of every model of the project's apps (the English and the
Spanish ones, sources' titles and quotes, place names, corrections, and the history tables
the changes pages and feeds read), except those in EXEMPT, is overwritten with a payload
that carries a number of its own: `__xss=NNN`. A page that put a payload in its HTML
unescaped would run it, and the number says which field it came from. The values are
written with update(), past the forms' and models' validation, as an import or an old row
might hold them; the database's own constraints still apply, hence EXEMPT.
"""

import re

from django.apps import apps
from django.db import models

from jurisdictions.models import Jurisdiction
from jurisdictions.names import fold
from policytracker.corrections.models import Correction
from policytracker.models import ProposedChange, ReviewFlag
from policytracker.search.indexing import rebuild
from tests.factories import UserFactory
from tests.worlds import build_world

APPS = ("policytracker", "jurisdictions", "agreements", "profiles", "corrections")

# Fields no payload can be stored in: a database constraint holds them to a format.
EXEMPT = {
    "jurisdictions.Jurisdiction.ocd_id": "an OCD id (constraint jurisdiction_ocd_id_format)",
    "jurisdictions.Jurisdiction.fips": "digits (constraint jurisdiction_fips_digits)",
    "jurisdictions.Agency.ori": "an ORI code (constraint agency_ori_format)",
    # Derived from the name (its folded form, which the place finder matches), set below.
    "jurisdictions.Jurisdiction.search_name": "the name folded for search, never shown",
    "jurisdictions.HistoricalJurisdiction.fips": "10 characters: too short for a payload",
    "jurisdictions.HistoricalAgency.ori": "9 characters: too short for a payload",
}

TOKEN = re.compile(r"__xss=(\d{3})")
# What a payload looks like in HTML that did not escape it.
RAW = re.compile(
    r"<script>window\.__xss|<img src=x onerror|<svg onload|"
    r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""",
    re.IGNORECASE,
)


def payload(number, field):
    """The payload for a field: a javascript: address in a URL, else markup that runs script
    however it is placed (in text, or in an attribute it breaks out of), cut to fit beside
    the few characters that keep each row's value apart (unique fields)."""
    if isinstance(field, models.URLField) or field.name == "page":
        return f"javascript:window.__xss={number:03d}//"
    room = None if field.max_length is None else field.max_length - len(ROW_MARK) - 4
    full = (
        f"Payload <script>window.__xss={number:03d}</script>"
        f"\"><img src=x onerror=window.__xss={number:03d}>'><svg onload=window.__xss={number:03d}>"
    )
    if room is None or room >= len(full):
        return full
    short = f'"><svg onload=window.__xss={number:03d}>'
    if room >= len(short):
        return short
    return f"<svg onload=__xss={number:03d}>"


ROW_MARK = " #"


def text_fields():
    """(model, field) for every text field a payload is written to, in a fixed order."""
    found = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            for field in model._meta.concrete_fields:
                label = f"{model._meta.label}.{field.name}"
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and not isinstance(field, models.SlugField)
                    and not field.choices
                    and label not in EXEMPT
                ):
                    found.append((model, field))
    return found


def build_xss_world():
    """build_world(1) with every text field holding its payload, and the search index
    rebuilt from them. Returns {number: "app.Model.field"} beside the world."""
    world = build_world(1)
    # What only staff read, in the admin: a reader's correction, a proposed change, a flag.
    Correction.objects.create(message="message", page="/", evidence="e", reply_to="a@b.org")
    ProposedChange.objects.create(
        record=world.rule,
        changes={"title": "amended"},
        base_version=world.rule.version,
        reason="reason",
        proposed_by=UserFactory(),
    )
    ReviewFlag.objects.create(
        record=world.deal, field="signed_on", raw_value="7/7/25", reason="r", found_in="f"
    )
    fields = {}
    per_model = {}
    for number, (model, field) in enumerate(text_fields(), start=1):
        fields[number] = f"{model._meta.label}.{field.name}"
        per_model.setdefault(model, {})[field.name] = payload(number, field)
    for model, values in per_model.items():
        # Row by row, each value marked with its row's place: some fields are unique.
        for place, pk in enumerate(model._default_manager.values_list("pk", flat=True)):
            mark = f"{ROW_MARK}{place}" if place else ""
            model._default_manager.filter(pk=pk).update(
                **{name: value + mark for name, value in values.items()}
            )
    for place in Jurisdiction.objects.all():
        Jurisdiction.objects.filter(pk=place.pk).update(search_name=fold(place.name))
    rebuild()
    world.fields = fields
    return world
