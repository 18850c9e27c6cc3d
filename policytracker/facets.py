"""Counts beside a list: how many of the filtered records fall under each kind, status and
place, each value a link that narrows the list to it (and, once chosen, widens it again).

One query per facet, whatever the number of records: a list page's query count stays fixed.
"""

from dataclasses import dataclass

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

# A facet lists at most this many values, the commonest first.
FACET_SIZE = 10


@dataclass
class FacetValue:
    value: str
    label: str
    count: int | None  # None for a chosen place, whose records are the list's own count
    selected: bool
    query: str  # the page's query string with this value chosen, or unchosen if selected


@dataclass
class Facet:
    name: str
    label: str
    values: list


def query_with(data, name, value):
    """`data` (a QueryDict) with `name` set to `value`, or removed for None; from page 1."""
    params = data.copy()
    params.pop("page", None)
    params.pop(name, None)
    if value is not None:
        params[name] = value
    return params.urlencode()


class ChoiceFacet:
    """Counts by a field with choices (kind, status); the parameter is the field's name."""

    def __init__(self, field, label):
        self.field, self.label = field, label

    def facet(self, queryset, data, filterset):
        labels = dict(queryset.model._meta.get_field(self.field).flatchoices)
        rows = (
            queryset.order_by()
            .values(self.field)
            .annotate(count=Count("pk", distinct=True))
            .order_by("-count", self.field)[:FACET_SIZE]
        )
        chosen = data.getlist(self.field)
        return Facet(
            self.field,
            self.label,
            [
                FacetValue(
                    value=row[self.field],
                    label=str(labels.get(row[self.field], row[self.field])),
                    count=row["count"],
                    selected=row[self.field] in chosen,
                    query=query_with(
                        data, self.field, None if row[self.field] in chosen else row[self.field]
                    ),
                )
                for row in rows
            ],
        )


class PlaceFacet:
    """Counts by place: by state at first, then, once a place is chosen, by the places one
    level inside it. Each record counts once under the place that contains its own.

    `path` leads from the record to its place ("local_party__jurisdiction"; "" for a place);
    `param` is the filter the values set ("jurisdiction", or "within" for places).
    """

    def __init__(self, path, param="jurisdiction", label=None):
        self.path, self.param, self.label = path, param, label or _("Place")

    def facet(self, queryset, data, filterset):
        from jurisdictions.models import Jurisdiction, JurisdictionKind

        chosen = filterset.form.cleaned_data.get(self.param) if filterset.is_valid() else None
        if chosen is not None and filterset.form.cleaned_data.get("jurisdiction_only"):
            return Facet(self.param, self.label, [])  # nothing inside to count by
        within = f"{self.path}__containments__within" if self.path else "containments__within"
        if chosen is None:
            states = [JurisdictionKind.STATE, JurisdictionKind.TERRITORY]
            narrowed = {f"{within}__kind__in": states}
        else:
            narrowed = {f"{within}__parent": chosen}
        user = getattr(filterset.request, "user", None)
        rows = (
            queryset.order_by()
            .filter(**narrowed, **{f"{within}__in": Jurisdiction.objects.visible_to(user)})
            .values(place_slug=F(f"{within}__slug"), place_name=F(f"{within}__name"))
            .annotate(count=Count("pk", distinct=True))
            .order_by("-count", "place_name")[:FACET_SIZE]
        )
        values = [
            FacetValue(
                value=row["place_slug"],
                label=row["place_name"],
                count=row["count"],
                selected=False,
                query=query_with(data, self.param, row["place_slug"]),
            )
            for row in rows
        ]
        if chosen is not None:  # the chosen place first, to take it off again
            unchosen = query_with(data, self.param, None)
            values.insert(0, FacetValue(chosen.slug, str(chosen), None, True, unchosen))
        return Facet(self.param, self.label, values)


def list_facets(specs, queryset, data, filterset):
    """The facets of a filtered list, those with values only."""
    if filterset.errors:
        return []
    facets = [spec.facet(queryset, data, filterset) for spec in specs]
    return [facet for facet in facets if facet.values]
