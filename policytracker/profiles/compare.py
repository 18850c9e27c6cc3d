"""Two to six places' profiles side by side, question by question, as of one date.

    /compare/?j=chicago&j=cook-county&j=illinois&on=2019-07-15   the page
    /compare.csv?j=…&on=…                                          one row per question
    /api/v1/compare/?j=…&on=…                                      the same as JSON (api.py)

The three read their query string through one form (`CompareForm`), so a link means the
same in each and bad input is refused the same way: a 400 naming the parameter and the
problem. A comparison takes four queries whatever the number of places or provisions: the
places, then the three of `profiles_of`.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.http import HttpResponseBadRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django.views.generic.base import View

from policytracker.exports.columns import Column
from policytracker.exports.streaming import csv_response
from policytracker.language import without_language
from policytracker.profiles.dimensions import Dimension
from policytracker.profiles.profile import profiles_of

MIN_PLACES, MAX_PLACES = 2, 6
# Longer than any slug (120 characters): the rest is cut from what an error message repeats.
SHOWN_VALUE_LENGTH = 60


class RowComparison(models.TextChoices):
    """How the places compare on one question."""

    DIFFERS = "differs", _("Positions differ")
    SAME = "same", _("Same position")
    PARTLY_RECORDED = "partly_recorded", _("Recorded for some of these places only")
    NOT_RECORDED = "not_recorded", _("No recorded rule for any of these places")


@dataclass
class Row:
    """One question: each place's cell (profile.Cell), in the order the places were given."""

    dimension: Dimension
    places: list
    cells: list

    @property
    def entries(self):
        """(place, cell) pairs, in the places' order."""
        return list(zip(self.places, self.cells, strict=True))

    @property
    def label(self):
        return self.dimension.label

    @property
    def question(self):
        return self.cells[0].question

    @property
    def positions(self):
        """The governing positions recorded for the places (each once)."""
        return {cell.position for cell in self.cells if cell.governing}

    @property
    def differs(self):
        """Two places at least are governed by different positions. A place with no recorded
        rule differs from none: what it has is not known, not nothing."""
        return len(self.positions) > 1

    @property
    def comparison(self):
        recorded = sum(cell.governing is not None for cell in self.cells)
        if self.differs:
            return RowComparison.DIFFERS
        if recorded == len(self.cells):
            return RowComparison.SAME
        if recorded:
            return RowComparison.PARTLY_RECORDED
        return RowComparison.NOT_RECORDED

    @property
    def comparison_label(self):
        return self.comparison.label


@dataclass
class Comparison:
    places: list
    on: datetime.date
    profiles: list  # each place's Profile, in the places' order
    rows: list

    @property
    def differing_count(self):
        return sum(row.differs for row in self.rows)

    @property
    def partly_recorded_count(self):
        return sum(row.comparison == RowComparison.PARTLY_RECORDED for row in self.rows)

    @property
    def nothing_recorded(self):
        return all(row.comparison == RowComparison.NOT_RECORDED for row in self.rows)

    @property
    def columns(self):
        """(place, profile) pairs, for the table's header."""
        return list(zip(self.places, self.profiles, strict=True))


def compare(places, *, on=None, user=None):
    """The Comparison of `places` (records, in the order to show them) on the date `on`
    (today if None), as `user` may see them. Three queries, whatever the number of places."""
    on = on or timezone.localdate()
    places = list(places)
    found = profiles_of(places, on=on, user=user)
    profiles = [found[place.pk] for place in places]
    rows = [
        Row(dimension, places, [profile.cells[index] for profile in profiles])
        for index, dimension in enumerate(Dimension)
    ]
    return Comparison(places, on, profiles, rows)


# The query string: the form shared by the page, its CSV and the API.


class SlugInputs(forms.Widget):
    """Several text boxes of one name (?j=chicago&j=cook-county), one a place, each labelled:
    no JavaScript adds or removes them. Empty boxes are sent and ignored."""

    template_name = "profiles/_slug_inputs.html"
    use_fieldset = True

    def __init__(self, boxes, attrs=None):
        self.boxes = boxes
        super().__init__(
            {"maxlength": 120, "autocapitalize": "none", "spellcheck": "false", **(attrs or {})}
        )

    def use_required_attribute(self, initial):
        return False  # the boxes left empty are allowed: two of six are enough

    def format_value(self, value):
        if value is None:
            return []
        return [str(item) for item in (value if isinstance(value, list | tuple) else [value])]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = context["widget"]["value"]
        values += [""] * (max(self.boxes, len(values)) - len(values))
        base_id = context["widget"]["attrs"].pop("id", None) or f"id_{name}"
        context["widget"]["inputs"] = [
            {
                "id": f"{base_id}_{number}",
                "value": value,
                "label": gettext("Place %(number)s") % {"number": number},
            }
            for number, value in enumerate(values, start=1)
        ]
        return context

    def id_for_label(self, id_):
        return f"{id_}_1" if id_ else id_

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        return value if isinstance(value, list) else [value] if value is not None else []

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class PlacesField(forms.Field):
    """Two to six slugs, in order; blanks ignored. The form checks each and finds the
    places, as the visitor may see them (drafts stay hidden from the public)."""

    widget = SlugInputs(MAX_PLACES)

    def to_python(self, value):
        items = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(item).strip() for item in items if item is not None and str(item).strip()]

    def validate(self, value):
        if len(value) < MIN_PLACES:
            raise ValidationError(
                ngettext(
                    "Name at least %(min)s places to compare; %(count)s was given.",
                    "Name at least %(min)s places to compare; %(count)s were given.",
                    len(value),
                ),
                code="too_few",
                params={"min": MIN_PLACES, "count": len(value)},
            )
        if len(value) > MAX_PLACES:
            raise ValidationError(
                _("At most %(max)s places can be compared at once; %(count)s were given."),
                code="too_many",
                params={"max": MAX_PLACES, "count": len(value)},
            )


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


class DayField(forms.DateField):
    """A day written YYYY-MM-DD. A malformed one and an impossible one (2019-02-30) are told
    apart in the message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().to_python(value)
        except ValidationError:
            text = shown(str(value))
            if ISO_DAY.match(text):
                message = _("There is no such day as %(value)s: give a date that exists.")
            else:
                message = _("“%(value)s” is not a date: give one as YYYY-MM-DD, e.g. 2019-07-15.")
            raise ValidationError(message, code="invalid", params={"value": text}) from None


def shown(value):
    """A visitor's value as an error message repeats it: cut short."""
    return value if len(value) <= SHOWN_VALUE_LENGTH else value[:SHOWN_VALUE_LENGTH] + "…"


class CompareForm(forms.Form):
    """?j=<slug>&j=<slug>…&on=YYYY-MM-DD: which places, in which order, on which date.

    Valid, it holds `places` (records, in the order given) and `on` (today if not given).
    A slug a place had before it was renamed finds it, and `renamed` says so: the views
    answer with a permanent redirect to the address with the current slugs.
    """

    j = PlacesField(
        label=_("Places to compare"),
        help_text=_(
            "Two to six, by slug: the end of the place's page address (chicago for "
            "/jurisdictions/chicago/)."
        ),
    )
    on = DayField(
        label=_("As of"), required=False, help_text=_("YYYY-MM-DD. Today if left empty.")
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        self.places = []
        self.renamed = {}  # old slug -> current slug
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())

    def clean_j(self):
        """Every problem with the places at once: slugs that are not slugs, a place named
        twice, slugs that name no place the visitor may see."""
        from jurisdictions.models import Jurisdiction
        from policytracker.revisions import renamed_record

        slugs = self.cleaned_data["j"]
        errors, malformed = [], set()
        for slug in dict.fromkeys(slugs):
            try:
                validate_slug(slug)
            except ValidationError:
                malformed.add(slug)
                errors.append(
                    ValidationError(
                        _(
                            "“%(value)s” is not a slug: a place's slug is the end of its page "
                            "address, in letters, digits and hyphens, e.g. cook-county."
                        ),
                        code="invalid",
                        params={"value": shown(slug)},
                    )
                )
            if slugs.count(slug) > 1:
                errors.append(
                    ValidationError(
                        _("“%(value)s” is named more than once: name each place once."),
                        code="repeated",
                        params={"value": shown(slug)},
                    )
                )
        well_formed = [slug for slug in slugs if slug not in malformed]
        visible = Jurisdiction.objects.visible_to(self.user)
        found = {place.slug: place for place in visible.filter(slug__in=well_formed)}
        for slug in dict.fromkeys(well_formed):
            if slug in found:
                continue
            place = renamed_record(Jurisdiction, slug, self.user, queryset=visible)
            if place is None:
                errors.append(
                    ValidationError(
                        _("No published place has the slug “%(value)s”."),
                        code="unknown",
                        params={"value": shown(slug)},
                    )
                )
            else:
                found[slug] = place
                self.renamed[slug] = place.slug
        if not errors and len({found[slug].pk for slug in slugs}) < len(slugs):
            errors.append(
                ValidationError(
                    _("A place is named twice, once by a slug it had before: name each once."),
                    code="repeated",
                )
            )
        if errors:
            raise ValidationError(errors)
        self.places = [found[slug] for slug in slugs]
        return slugs

    def clean_on(self):
        return self.cleaned_data["on"] or timezone.localdate()

    def query(self):
        """The query string of this comparison (valid only): the places' current slugs, and
        the date always given, so that a link keeps meaning the same day."""
        return urlencode(
            [("j", place.slug) for place in self.places]
            + [("on", self.cleaned_data["on"].isoformat())]
        )

    def messages(self):
        """{parameter: [message, …]}: what the API and the CSV answer with a 400."""
        return {name: list(messages) for name, messages in self.errors.items()}


def redirect_to_current_slugs(form, url_name):
    """The same comparison under its places' current slugs, for a link made before a rename."""
    return HttpResponsePermanentRedirect(f"{reverse(url_name)}?{form.query()}")


class CompareView(TemplateView):
    """The comparison table, with the form that chooses the places and the date.

    With no `j` nor `on` in the query string: the form alone. Bad input: 400, the form's
    messages above it, and no table.
    """

    template_name = "profiles/compare.html"

    def get(self, request, *args, **kwargs):
        asked = any(name in request.GET for name in CompareForm.base_fields)
        form = CompareForm(request.GET if asked else None, user=request.user)
        comparison = None
        if form.is_bound and form.is_valid():
            if form.renamed:
                return redirect_to_current_slugs(form, "profiles:compare")
            comparison = compare(form.places, on=form.cleaned_data["on"], user=request.user)
        context = self.get_context_data(
            form=form, comparison=comparison, question_count=len(Dimension)
        )
        return self.render_to_response(context, status=400 if form.errors else 200)


def csv_columns(places):
    """One row per question: the question, how the places compare, then five columns a place
    (named `<slug>:…`), in the order the places were given."""
    columns = [
        Column("question", _("The question's code."), lambda row, request: row.dimension.value),
        Column("question_label", _("The question."), lambda row, request: str(row.label)),
        Column(
            "comparison",
            _("differs, same, partly_recorded or not_recorded."),
            lambda row, request: row.comparison.value,
        ),
    ]
    for index, place in enumerate(places):
        columns += place_columns(place.slug, index)
    return columns


def place_columns(slug, index):
    def governing(row):
        return row.cells[index].governing

    def rule_title(row, request):
        return str(governing(row).provision.instrument) if governing(row) else ""

    def rule_url(row, request):
        if not governing(row):
            return ""
        url = without_language(governing(row).provision.instrument.get_absolute_url())
        return request.build_absolute_uri(url) if request else url

    def inherited_from(row, request):
        item = governing(row)
        return item.inherited_from.slug if item and item.inherited_from else ""

    def reviewed_on(row, request):
        review = row.cells[index].review
        return review.reviewed_on.isoformat() if review else ""

    return [
        Column(
            f"{slug}:position",
            _("The governing position's code; empty for no recorded rule."),
            lambda row, request: row.cells[index].position,
        ),
        Column(
            f"{slug}:rule",
            _("The title of the rule, agreement or statement that decides it."),
            rule_title,
        ),
        Column(f"{slug}:rule_url", _("Its page."), rule_url),
        Column(
            f"{slug}:inherited_from",
            _("The slug of the place whose rule it is, if not the place's own."),
            inherited_from,
        ),
        Column(
            f"{slug}:reviewed_on",
            _("When staff last checked the question for the place; empty if never."),
            reviewed_on,
        ),
    ]


def errors_response(form, heading):
    """400, in plain text: each parameter that is wrong, and why."""
    lines = [heading]
    for name, messages in form.messages().items():
        lines += [f"{name}: {message}" for message in messages]
    return HttpResponseBadRequest(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


class CompareCSVView(View):
    """/compare.csv?j=…&on=…: the comparison, one row per question (`csv_columns`)."""

    def get(self, request):
        form = CompareForm(request.GET, user=request.user)
        if not form.is_valid():
            return errors_response(
                form, gettext("This comparison could not be made, so nothing was exported:")
            )
        if form.renamed:
            return redirect_to_current_slugs(form, "profiles:compare-csv")
        comparison = compare(form.places, on=form.cleaned_data["on"], user=request.user)
        return csv_response(
            comparison.rows,
            csv_columns(comparison.places),
            f"comparison-{comparison.on.isoformat()}.csv",
            request=request,
        )
