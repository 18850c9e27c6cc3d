import django_filters
from django.db.models import Q
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
from policytracker.filters import (
    InForceOnFilter,
    OrderingFilter,
    RecordFilterSet,
    SlugFilter,
    date_range,
)


class JurisdictionFilterSet(RecordFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name contains"))
    kind = django_filters.ChoiceFilter(choices=JurisdictionKind.choices)
    parent = SlugFilter(model=Jurisdiction, label=_("Lies within (slug)"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("updated_at", "updated")),
    )

    class Meta:
        model = Jurisdiction
        fields = ["name", "kind", "parent"]


class AgencyFilterSet(RecordFilterSet):
    name = django_filters.CharFilter(method="filter_name", label=_("Name contains"))
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices)
    jurisdiction = SlugFilter(model=Jurisdiction, label=_("Jurisdiction (slug)"))
    parent = SlugFilter(model=Agency, label=_("Part of (slug)"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("updated_at", "updated")),
    )

    class Meta:
        model = Agency
        fields = ["name", "kind", "jurisdiction", "parent"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(abbreviation__iexact=value))


class OrdinanceFilterSet(RecordFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("Title contains"))
    kind = django_filters.ChoiceFilter(choices=OrdinanceKind.choices)
    status = django_filters.ChoiceFilter(choices=OrdinanceStatus.choices)
    jurisdiction = SlugFilter(model=Jurisdiction, label=_("Jurisdiction (slug)"))
    issued_by = SlugFilter(model=Agency, label=_("Issued by (slug)"))
    in_force_on = InForceOnFilter()
    adopted_from, adopted_to = date_range("adopted_on", _("Adopted"))
    ordering = OrderingFilter(
        fields=(("adopted_on", "adopted"), ("title", "title"), ("updated_at", "updated")),
    )

    class Meta:
        model = Ordinance
        fields = ["title", "kind", "status", "jurisdiction", "issued_by"]
