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
    places_within,
)
from policytracker.filters import (
    InForceOnFilter,
    KindFilter,
    OrderingFilter,
    PlaceFilter,
    PlaceOnlyFilter,
    RecordFilterSet,
    SlugFilter,
    date_range,
)


class JurisdictionFilterSet(RecordFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name contains"))
    kind = KindFilter(choices=JurisdictionKind.choices)
    within = SlugFilter(
        model=Jurisdiction,
        method="filter_within",
        label=_("Lies within (slug)"),
        help_text=_("Every place inside it, at any depth: counties, cities, villages…"),
    )
    parent = SlugFilter(model=Jurisdiction, label=_("Lies directly within (slug)"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("updated_at", "updated")),
    )

    class Meta:
        model = Jurisdiction
        fields = ["name", "kind", "within", "parent"]

    def filter_within(self, queryset, name, value: Jurisdiction):
        return queryset.filter(pk__in=places_within(value, itself=False))


class AgencyFilterSet(RecordFilterSet):
    name = django_filters.CharFilter(method="filter_name", label=_("Name contains"))
    kind = KindFilter(choices=AgencyKind.choices)
    jurisdiction = PlaceFilter(label=_("Jurisdiction (slug)"))
    jurisdiction_only = PlaceOnlyFilter()
    parent = SlugFilter(model=Agency, label=_("Part of (slug)"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("updated_at", "updated")),
    )

    class Meta:
        model = Agency
        fields = ["name", "kind", "jurisdiction", "jurisdiction_only", "parent"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(abbreviation__iexact=value))


class OrdinanceFilterSet(RecordFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("Title contains"))
    kind = KindFilter(choices=OrdinanceKind.choices)
    status = django_filters.ChoiceFilter(choices=OrdinanceStatus.choices, label=_("Status"))
    jurisdiction = PlaceFilter(label=_("Jurisdiction (slug)"))
    jurisdiction_only = PlaceOnlyFilter()
    issued_by = SlugFilter(model=Agency, label=_("Issued by (slug)"))
    in_force_on = InForceOnFilter()
    adopted_from, adopted_to = date_range("adopted_on", _("Adopted"))
    ordering = OrderingFilter(
        fields=(("adopted_on", "adopted"), ("title", "title"), ("updated_at", "updated")),
    )

    class Meta:
        model = Ordinance
        fields = ["title", "kind", "status", "jurisdiction", "jurisdiction_only", "issued_by"]
