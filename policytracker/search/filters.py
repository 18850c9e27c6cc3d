"""The search's filters: one FilterSet for the page, the API, the exports and the feed."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import AgreementKind, AgreementStatus
from jurisdictions.models import (
    Agency,
    AgencyKind,
    Jurisdiction,
    JurisdictionKind,
    OrdinanceKind,
    OrdinanceStatus,
)
from policytracker.filters import RecordFilterSet, SlugFilter, date_range
from policytracker.models import SourceKind
from policytracker.search.models import RecordType
from policytracker.search.query import MAX_QUERY_LENGTH


def merged_choices(*enums):
    """Each value once, with the label it has in the first record type that uses it."""
    seen = {}
    for enum in enums:
        for value, label in enum.choices:
            seen.setdefault(value, label)
    return sorted(seen.items(), key=lambda choice: str(choice[1]))


KIND_CHOICES = merged_choices(
    JurisdictionKind, AgencyKind, OrdinanceKind, AgreementKind, SourceKind
)
STATUS_CHOICES = merged_choices(OrdinanceStatus, AgreementStatus)


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"
    CHOICES = [
        (RELEVANCE, _("Relevance")),
        (NEWEST, _("Newest first")),
        (OLDEST, _("Oldest first")),
        (TITLE, _("Title")),
    ]


class SearchFilterSet(RecordFilterSet):
    # The words are matched by the search backend, not here: see policytracker.search.service.
    q = django_filters.CharFilter(
        method="keep",
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 287(g) jail")}),
        help_text=_('Words, "a phrase", -excluded, this OR that.'),
    )
    type = django_filters.ChoiceFilter(
        field_name="record_type", choices=RecordType.choices, label=_("Record type")
    )
    jurisdiction = SlugFilter(
        model=Jurisdiction,
        method="filter_within",
        label=_("In (slug)"),
        help_text=_("A state or county includes the places inside it."),
    )
    agency = SlugFilter(model=Agency, label=_("Agency (slug)"))
    kind = django_filters.ChoiceFilter(choices=KIND_CHOICES)
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES)
    date_from, date_to = date_range("date", _("Dated"))
    sort = django_filters.ChoiceFilter(
        method="keep", choices=Sort.CHOICES, label=_("Sort by"), empty_label=None
    )

    def keep(self, queryset, name, value):
        return queryset

    def filter_within(self, queryset, name, value):
        return queryset.filter(jurisdiction__in=Jurisdiction.objects.within(value))

    @property
    def active_filters(self):
        return {
            name: value
            for name, value in super().active_filters.items()
            if name not in ("q", "sort")
        }
