"""Pieces shared by every record type's FilterSet (pages and API use the same ones)."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.text import format_lazy
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


class PlaceFilter(SlugFilter):
    """?jurisdiction=illinois: records of Illinois and of every place inside it, at any depth
    (one indexed subquery on the containments); with ?jurisdiction_only=true, of Illinois
    itself only. `field_name` leads from the record to its place."""

    def __init__(self, *args, only_param="jurisdiction_only", **kwargs):
        from jurisdictions.models import Jurisdiction

        self.only_param = only_param
        kwargs.setdefault("model", Jurisdiction)
        kwargs.setdefault("help_text", _("A state or county includes the places inside it."))
        super().__init__(*args, **kwargs)

    def only_this_place(self):
        return bool(self.parent.form.cleaned_data.get(self.only_param))

    def filter(self, qs, value):
        from jurisdictions.models import places_within

        if not value:
            return qs
        places = [value] if self.only_this_place() else places_within(value)
        matching = {f"{self.field_name}__in": places}
        if qs.model._meta.get_field(self.field_name.split("__")[0]).many_to_many:
            # Through a many-to-many, a record about two of the places would come twice.
            return qs.filter(pk__in=qs.model._default_manager.filter(**matching).values("pk"))
        return qs.filter(**matching)

    def describe(self, value):
        """The filter in words, for the line above the results."""
        if self.only_this_place():
            return _("%(place)s only, not the places within it") % {"place": value}
        return _("%(place)s and the places within it") % {"place": value}


class QueryCheckboxInput(forms.CheckboxInput):
    """A checkbox read strictly from a query string: `on` (as a form sends it), `true` or `1`
    check it; `false`, `0`, empty or absent leave it unchecked; anything else is passed on
    as it is, for the field to refuse."""

    CHECKED, UNCHECKED = {"on", "true", "1"}, {"false", "0", ""}

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return False
        value = data.get(name)
        if str(value).lower() in self.CHECKED:
            return True
        if str(value).lower() in self.UNCHECKED:
            return False
        return value


class QueryCheckboxField(forms.NullBooleanField):
    widget = QueryCheckboxInput

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        raise forms.ValidationError(
            _("Give true or false, not “%(value)s”."),
            code="invalid",
            params={"value": str(value)[:40]},
        )


class PlaceOnlyFilter(django_filters.BooleanFilter):
    """The checkbox that narrows a PlaceFilter to the place itself; it filters nothing alone.
    A value that is neither true nor false (`?jurisdiction_only=maybe`) is a 400, as any
    other bad filter."""

    field_class = QueryCheckboxField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("This place only, not the places within it"))
        kwargs.setdefault("widget", QueryCheckboxInput)
        kwargs.setdefault("method", lambda queryset, name, value: queryset)
        super().__init__(*args, **kwargs)


class ChoicesField(django_filters.fields.MultipleChoiceField):
    """Several choices; an empty one (?kind=, from a form or an old link) means none."""

    def clean(self, value):
        return super().clean([item for item in value or [] if item != ""])


class KindFilter(django_filters.MultipleChoiceFilter):
    """?kind=a&kind=b: records of any of the kinds given. `groups` adds choices that stand for
    several kinds at once ("287g": every 287(g) model)."""

    field_class = ChoicesField

    def __init__(self, *args, choices, groups=None, **kwargs):
        self.groups = {value: members for value, (_label, members) in (groups or {}).items()}
        group_choices = [(value, label) for value, (label, _members) in (groups or {}).items()]
        kwargs.setdefault("label", _("Kind"))
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, choices=[*group_choices, *choices], **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        kinds = {kind for chosen in value for kind in self.groups.get(chosen, [chosen])}
        return qs.filter(**{f"{self.field_name}__in": sorted(kinds)})


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
    """A pair of filters, `<name>_from` and `<name>_to`, on a date field (both inclusive).
    Their labels stay lazy, so that each page says them in its reader's language."""
    return (
        DateFilter(
            field_name=field_name, lookup_expr="gte", label=format_lazy(_("{} from"), label)
        ),
        DateFilter(field_name=field_name, lookup_expr="lte", label=format_lazy(_("{} to"), label)),
    )


# What each sort is called on the lists' forms.
ORDERING_LABELS = {
    "adopted": _("Adopted"),
    "date": _("Date"),
    "kind": _("Kind"),
    "name": _("Name"),
    "published": _("Published"),
    "signed": _("Signed"),
    "title": _("Title"),
    "updated": _("Updated"),
}


class OrderingFilter(django_filters.OrderingFilter):
    """Sorts the same on every database: empty dates last either way, ties broken by id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        """Each sort and its reverse, with labels that stay lazy (django-filter's own reverse
        labels are formatted once, in whatever language is active when the class is made)."""
        choices = []
        for field, param in fields.items():
            label = labels.get(field, ORDERING_LABELS.get(param, param))
            choices.append((param, label))
            choices.append((f"-{param}", format_lazy(_("{} (descending)"), label)))
        return choices

    def filter(self, qs, value):
        value = [param for param in value or () if param]  # `?ordering=,,` names no sort
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
            if name != "ordering" and value not in (None, "", [], False)
        }

    @property
    def place_scopes(self):
        """Each place filter set, in words: "Illinois and the places within it"."""
        return [
            self.filters[name].describe(value)
            for name, value in self.active_filters.items()
            if isinstance(self.filters[name], PlaceFilter)
        ]
