"""The sources list's filters (the site's and the API's), and a source page's."""

import django_filters
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from policytracker.filters import OrderingFilter, RecordFilterSet
from policytracker.models import Source, SourceKind
from policytracker.sources.queries import CITING_MODELS, citations_by_type


class SourceFilterSet(RecordFilterSet):
    """The sources list, on the site and in the API."""

    q = django_filters.CharFilter(method="filter_text", label=_("Title or publisher contains"))
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    publisher = django_filters.CharFilter(lookup_expr="iexact", label=_("Publisher (exactly)"))
    ordering = OrderingFilter(fields=(("published_on", "published"), ("title", "title")))

    class Meta:
        model = Source
        fields = ["q", "kind", "publisher"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(publisher__icontains=value))


def record_type_choices():
    return [
        (field, capfirst(model._meta.verbose_name_plural))
        for field, model in CITING_MODELS.items()
    ]


class CitationFilterSet(RecordFilterSet):
    """A source page's citing records, all types or one (?record_type=agreement)."""

    record_type = django_filters.ChoiceFilter(
        choices=record_type_choices,
        method="filter_record_type",
        label=_("Cited by"),
        empty_label=_("Every type of record"),
    )

    def filter_record_type(self, queryset, name, value: str):
        return citations_by_type(queryset, value)
