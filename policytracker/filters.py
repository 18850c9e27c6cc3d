"""Pieces shared by every record type's FilterSet (pages and API use the same ones)."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class SlugFilter(django_filters.ModelChoiceFilter):
    """A related record named by its slug (?jurisdiction=chicago), typed rather than picked.

    A text box, not a <select>: there are tens of thousands of places and agencies.
    An unknown slug is a clear 400, not an empty list.
    """

    def __init__(self, *args, model, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": _("slug, e.g. chicago")})
        )
        kwargs.setdefault(
            "queryset", lambda request: model.objects.visible_to(getattr(request, "user", None))
        )
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("No published record has the slug “%(value)s”.")},
        )
        super().__init__(*args, **kwargs)


class DateFilter(django_filters.DateFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        kwargs.setdefault("help_text", _("YYYY-MM-DD"))
        super().__init__(*args, **kwargs)


class InForceOnFilter(DateFilter):
    """?in_force_on=2019-07-15: what was in force that day (the queryset's in_force())."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("In force on"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.in_force(on=value) if value else qs


def date_range(field_name, label):
    """A pair of filters, `<name>_from` and `<name>_to`, on a date field (both inclusive)."""
    return (
        DateFilter(field_name=field_name, lookup_expr="gte", label=_("%s from") % label),
        DateFilter(field_name=field_name, lookup_expr="lte", label=_("%s to") % label),
    )


class OrderingFilter(django_filters.OrderingFilter):
    """Sorts the same on every database: empty dates last either way, ties broken by id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        expressions = []
        for param in value:
            field = self.get_ordering_value(param)
            if field.startswith("-"):
                expressions.append(F(field[1:]).desc(nulls_last=True))
            else:
                expressions.append(F(field).asc(nulls_last=True))
        return qs.order_by(*expressions, "pk")


class RecordFilterSet(django_filters.FilterSet):
    """Every list's FilterSet: it sorts by `ordering`, and reports bad input as form errors."""

    @property
    def active_filters(self):
        """The filters a visitor set, for the page's "filtered by" line."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name != "ordering" and value not in (None, "", [])
        }
