"""The columns of the agreement and statement downloads, with their descriptions.

Every stored field is written, related records by slug, so that the files are enough to
rebuild the records (tests/test_exports.py checks that no field is left out). These are the
record types' one column set: the API's serializers name the same fields
(tests/test_export_columns.py).
"""

from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    ListingState,
    Statement,
)
from jurisdictions.exports import SLUG
from policytracker.exports.columns import (
    Column,
    ExportSpec,
    attribute,
    choice,
    plain_date,
    precise_date,
    record_columns,
    related_slug,
    related_slugs,
    spanish_text_columns,
)

AGREEMENT_EXPORT = ExportSpec(
    name="agreements",
    model=Agreement,
    title=_("Agreements"),
    description=_(
        "Written arrangements between a local or state agency and a federal one: 287(g), "
        "customs cross-designations, task forces, detention contracts, information sharing."
    ),
    columns=(
        attribute("slug", SLUG),
        attribute("title", _("Its title.")),
        *spanish_text_columns(),
        choice("kind", _("What sort of agreement it is."), AgreementKind),
        choice("status", _("Its status as the sources give it today."), AgreementStatus),
        related_slug("local_party", _("The slug of the state or local agency that signed.")),
        related_slug(
            "federal_party", _("The slug of the federal agency or component on the other side.")
        ),
        Column(
            "jurisdiction",
            _(
                "The slug of the local party's place, for finding agreements by place. "
                "Derived from local_party; not stored with the agreement."
            ),
            lambda agreement, request: agreement.local_party.jurisdiction.slug,
        ),
        precise_date("signed", "signed_on", _("When it was signed.")),
        precise_date("effective", "effective_on", _("When it took effect.")),
        precise_date("expires", "expires_on", _("When it expires, as written in it.")),
        precise_date("terminated", "terminated_on", _("When it was ended early, if it was.")),
        attribute("scope", _("What it lets or asks the parties to do.")),
        attribute("exclusions", _("What it expressly leaves out.")),
        attribute("full_text", _("The text of the agreement itself, where available.")),
        attribute(
            "listing_id",
            _("An id derived from its entry in a published list (ICE's 287(g) sheet), if any."),
        ),
        choice(
            "listing_state", _("Whether the latest imported list still names it."), ListingState
        ),
        plain_date("first_listed_on", _("The date of the first imported list that named it.")),
        plain_date("last_listed_on", _("The date of the latest imported list that named it.")),
        *record_columns(),
    ),
    select_related=("local_party__jurisdiction", "federal_party"),
)

STATEMENT_EXPORT = ExportSpec(
    name="statements",
    model=Statement,
    title=_("Statements"),
    description=_(
        "Public positions taken by an agency, association or official, quoted exactly, "
        "with who said them, when, and what they are about."
    ),
    columns=(
        attribute("slug", SLUG),
        attribute("title", _("A neutral description of what was said.")),
        *spanish_text_columns(),
        related_slug(
            "speaker_agency",
            _("The slug of the agency or association that spoke, or the official's agency."),
        ),
        attribute("speaker_name", _("The named official who spoke, if any.")),
        attribute("speaker_title", _("The official's title as the source gives it.")),
        precise_date("made", "made_on", _("When the statement was made.")),
        attribute(
            "text",
            _("The words said, quoted exactly; or the source's account of them, introduced so."),
        ),
        related_slugs("about_jurisdictions", _("The slugs of the places it is about.")),
        related_slugs("about_agencies", _("The slugs of the agencies it is about.")),
        related_slugs("about_ordinances", _("The slugs of the rules it is about.")),
        related_slugs("about_agreements", _("The slugs of the agreements it is about.")),
        related_slugs(
            "about_statements", _("The slugs of statements it answers, affirms or quotes.")
        ),
        *record_columns(),
    ),
    select_related=("speaker_agency",),
    prefetch=(
        "about_jurisdictions",
        "about_agencies",
        "about_ordinances",
        "about_agreements",
        "about_statements",
    ),
)
