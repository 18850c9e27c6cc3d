"""The columns of the jurisdiction, agency and ordinance downloads, with their descriptions.

Every stored field is written, related records by slug, so that the files are enough to
rebuild the records (tests/test_exports.py checks that no field is left out). These are the
record types' one column set: the API's serializers name the same fields
(tests/test_export_columns.py).
"""

from django.utils.translation import gettext_lazy as _

from jurisdictions.models import (
    Agency,
    AgencyKind,
    Jurisdiction,
    JurisdictionKind,
    Ordinance,
    OrdinanceKind,
    OrdinanceStatus,
)
from policytracker.exports.columns import (
    ExportSpec,
    attribute,
    choice,
    precise_date,
    record_columns,
    record_excluded_fields,
    related_slug,
    related_slugs,
    spanish_text_columns,
)

SLUG = _(
    "The record's identifier: the last part of its page address, and how the other files name it."
)

JURISDICTION_EXPORT = ExportSpec(
    name="jurisdictions",
    model=Jurisdiction,
    title=_("Jurisdictions"),
    description=_(
        "Places with a government: the nation, states, counties, cities, townships. "
        "Each names the place it lies within."
    ),
    columns=(
        attribute("slug", SLUG),
        attribute("name", _("The name people use, without “city of”.")),
        choice("kind", _("What sort of place it is."), JurisdictionKind),
        related_slug("parent", _("The slug of the place it lies within. Empty for the nation.")),
        related_slugs(
            "also_within",
            _(
                "The slugs of other places it lies partly within, besides its parent (Chicago: "
                "DuPage County). Rules that bind there bind it too."
            ),
        ),
        attribute("ocd_id", _("Its Open Civic Data division id, where known.")),
        attribute(
            "fips",
            _("Its Census FIPS code (GEOID), where known: 2 digits for a state, 5 for a county."),
        ),
        *record_columns(),
    ),
    select_related=("parent",),
    prefetch=("also_within",),
    excluded_fields={
        **record_excluded_fields(),
        "search_name": _("The name folded for the place finder: derived from the name."),
    },
)

AGENCY_EXPORT = ExportSpec(
    name="agencies",
    model=Agency,
    title=_("Agencies"),
    description=_(
        "Bodies that act or speak: police departments, sheriffs, local offices, federal "
        "agencies and their components, associations."
    ),
    columns=(
        attribute("slug", SLUG),
        attribute("name", _("Its full official name.")),
        attribute("abbreviation", _("Its abbreviation as commonly written, if any: CPD, ICE.")),
        choice("kind", _("What sort of body it is."), AgencyKind),
        related_slug(
            "jurisdiction",
            _("The slug of the place where it acts; the United States for federal bodies."),
        ),
        related_slug(
            "parent", _("The slug of the body it is part of (HSI is part of ICE), if any.")
        ),
        attribute("website", _("Its own website, if recorded.")),
        attribute("ori", _("The FBI's originating agency identifier (ORI), if it has one.")),
        *record_columns(),
    ),
    select_related=("jurisdiction", "parent"),
)

ORDINANCE_EXPORT = ExportSpec(
    name="ordinances",
    model=Ordinance,
    title=_("Ordinances"),
    description=_(
        "Rules a jurisdiction adopts: ordinances, executive orders, statutes, resolutions, "
        "directives and policies, with their dates."
    ),
    columns=(
        attribute("slug", SLUG),
        attribute("title", _("Its title.")),
        *spanish_text_columns(),
        attribute("number", _("Its official number, where it has one.")),
        choice("kind", _("What sort of rule it is."), OrdinanceKind),
        choice("status", _("Its status as the sources give it today."), OrdinanceStatus),
        related_slug("jurisdiction", _("The slug of the place whose rule it is.")),
        related_slug(
            "issued_by", _("The slug of the agency that adopted or issued it, where known.")
        ),
        precise_date("introduced", "introduced_on", _("When it was introduced.")),
        precise_date("adopted", "adopted_on", _("When it was adopted or issued.")),
        precise_date("effective", "effective_on", _("When it took effect.")),
        precise_date("repealed", "repealed_on", _("When it was repealed or ended.")),
        related_slugs("amends", _("The slugs of earlier rules it amends.")),
        related_slug("replaces", _("The slug of an earlier rule it replaces, if any.")),
        attribute("full_text", _("The text of the rule itself, where available.")),
        *record_columns(),
    ),
    select_related=("jurisdiction", "issued_by", "replaces"),
    prefetch=("amends",),
    # The rule it replaces is read for its slug only.
    defer=("replaces__full_text", "replaces__summary"),
)
