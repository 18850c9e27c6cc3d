"""A profile as data: nested for the API, one row per question for the CSV download.

Both come from `cell_data()`, so the API and the CSV say the same thing in the same words.
"""

from django.utils.translation import gettext as _

from policytracker.language import without_language

# The CSV's columns, in order: one row per question.
CSV_COLUMNS = [
    "place",
    "as_of",
    "question",
    "question_label",
    "position",
    "position_label",
    "decided_by_type",
    "decided_by",
    "decided_by_url",
    "decided_by_place",
    "inherited",
    "clause",
    "in_force_from",
    "in_force_from_precision",
    "source",
    "source_url",
    "locator",
    "prevails_over",
    "also_applies",
    "reported_practice",
    "reviewed",
    "last_checked",
    "review_note",
]


def absolute(url, request):
    """A page's address as the data gives it: without a language prefix."""
    url = without_language(url)
    return request.build_absolute_uri(url) if request is not None else url


def provision_data(applicable, request=None):
    """One provision that applies: what it says, its rule, whose it is, since when, cited."""
    provision = applicable.provision
    instrument = provision.instrument
    start = provision.in_force_from()
    return {
        "position": provision.position,
        "position_label": provision.get_position_display(),
        "basis": provision.basis,
        "instrument": {
            "type": provision.instrument_field,
            "title": str(instrument),
            "url": absolute(instrument.get_absolute_url(), request),
        },
        "place": {"slug": provision.jurisdiction.slug, "name": provision.jurisdiction.name},
        "inherited": applicable.depth > 0,
        "binds_places_within": provision.binds_places_within,
        "clause": provision.clause,
        "reported_by": provision.reported_by,
        "in_force_from": start.isoformat() if start else None,
        "in_force_from_precision": str(start.precision) if start else None,
        "source": {
            "title": provision.source.title,
            "url": absolute(provision.source.get_absolute_url(), request),
            "locator": provision.locator,
        },
        "note": provision.note,
    }


def cell_data(cell, request=None):
    review = cell.review
    return {
        "question": cell.dimension.value,
        "question_label": str(cell.label),
        "question_text": str(cell.question),
        "position": cell.position or None,
        "position_label": str(cell.position_label) if cell.governing else _("No recorded rule"),
        "governing": provision_data(cell.governing, request) if cell.governing else None,
        "prevails_over": [provision_data(item, request) for item in cell.prevails_over],
        "also_applies": [provision_data(item, request) for item in cell.context],
        "reported_practice": [provision_data(item, request) for item in cell.practice],
        "reviewed": review is not None,
        "last_checked": review.reviewed_on.isoformat() if review else None,
        "review_note": review.note if review else "",
    }


def profile_data(profile, request=None):
    return {
        "place": {"slug": profile.place.slug, "name": profile.place.name},
        "as_of": profile.on.isoformat(),
        "questions_reviewed": profile.reviewed_count,
        "questions_with_a_rule": profile.recorded_count,
        "cells": [cell_data(cell, request) for cell in profile.cells],
    }


def titles(items):
    return "; ".join(f"{item['instrument']['title']} ({item['place']['name']})" for item in items)


def csv_rows(profile, request=None):
    """The profile's rows for the CSV: CSV_COLUMNS, one per question."""
    for cell in profile_data(profile, request)["cells"]:
        governing = cell["governing"] or {}
        instrument = governing.get("instrument", {})
        source = governing.get("source", {})
        yield {
            "place": profile.place.slug,
            "as_of": profile.on.isoformat(),
            "question": cell["question"],
            "question_label": cell["question_label"],
            "position": cell["position"] or "",
            "position_label": cell["position_label"],
            "decided_by_type": instrument.get("type", ""),
            "decided_by": instrument.get("title", ""),
            "decided_by_url": instrument.get("url", ""),
            "decided_by_place": governing.get("place", {}).get("slug", ""),
            "inherited": "yes" if governing.get("inherited") else ("no" if governing else ""),
            "clause": governing.get("clause", ""),
            "in_force_from": governing.get("in_force_from") or "",
            "in_force_from_precision": governing.get("in_force_from_precision") or "",
            "source": source.get("title", ""),
            "source_url": source.get("url", ""),
            "locator": source.get("locator", ""),
            "prevails_over": titles(cell["prevails_over"]),
            "also_applies": titles(cell["also_applies"]),
            "reported_practice": "; ".join(
                f"{item['reported_by']}: {item['position_label']} ({item['instrument']['title']})"
                for item in cell["reported_practice"]
            ),
            "reviewed": "yes" if cell["reviewed"] else "no",
            "last_checked": cell["last_checked"] or "",
            "review_note": cell["review_note"],
        }
