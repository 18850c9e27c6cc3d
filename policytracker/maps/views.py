"""/map/: Illinois's counties, or the states (?level=states), coloured by the position that
governs one question on one date, from the places' policy profiles.

    /map/?dimension=detainers&on=2019-07-15&level=counties

Server-rendered SVG: each shape the tracker holds a place for links to its page and is
named "Cook County: Prohibits"; the others are drawn neutral and not linked. A legend
gives each position's colour and pattern, and a table beneath says the same in words, with
the rule that governs. A bad question, date or level answers 400 naming it. Four queries
whatever the number of places: the places drawn, then the three of `profiles_of`.
"""

from collections import Counter
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from policytracker.maps.shapes import boundaries
from policytracker.profiles.dimensions import QUESTIONS, Dimension, Position
from policytracker.profiles.forms import DayField
from policytracker.profiles.profile import profiles_of

# What a shape shows besides a position: a place with no recorded rule, one not tracked.
NO_RULE, UNTRACKED = "none", "untracked"


class Level:
    COUNTIES, STATES = "counties", "states"
    CHOICES = [
        (COUNTIES, _("Illinois, county by county")),
        (STATES, _("The United States, state by state")),
    ]


class MapForm(forms.Form):
    dimension = forms.ChoiceField(
        label=_("Question"),
        choices=Dimension.choices,
        required=False,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not one of the questions: choose one from the list."
            )
        },
    )
    on = DayField(label=_("As of"), required=False, help_text=_("YYYY-MM-DD. Today if empty."))
    level = forms.ChoiceField(
        label=_("Show"),
        choices=Level.CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("“%(value)s” is not a map level: choose counties or states.")
        },
    )

    @staticmethod
    def defaults():
        return {
            "dimension": Dimension.DETAINERS.value,
            "on": timezone.localdate().isoformat(),
            "level": Level.COUNTIES,
        }

    def clean_dimension(self):
        return Dimension(self.cleaned_data["dimension"] or Dimension.DETAINERS)

    def clean_on(self):
        return self.cleaned_data["on"] or timezone.localdate()

    def clean_level(self):
        return self.cleaned_data["level"] or Level.COUNTIES


@dataclass
class Area:
    """One shape on the map, with what governs in its place (if the tracker holds it)."""

    shape: object
    place: object = None
    cell: object = None  # the place's profile cell for the question

    @property
    def state(self):
        """The position's code, NO_RULE or UNTRACKED: the shape's colour and pattern."""
        if self.place is None:
            return UNTRACKED
        return self.cell.position or NO_RULE

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def name(self):
        return self.place.name if self.place else self.shape.name


STATE_LABELS = {
    **{position.value: position.label for position in Position},
    NO_RULE: _("No recorded rule"),
    UNTRACKED: _("Not in the tracker"),
}


def map_areas(level, dimension, on, user):
    """Every shape of `level` as an Area, by name, for `dimension` on `on`."""
    found = boundaries(level)
    places = found.places(user)
    profiles = profiles_of(places.values(), on=on, user=user)
    areas = []
    for shape in found.shapes:
        place = places.get(shape.fips)
        cell = profiles[place.pk].cell(dimension) if place else None
        areas.append(Area(shape, place, cell))
    return found, sorted(areas, key=lambda area: area.name)


def legend(areas):
    """(code, label, count) for each position and the two neutral states, in order."""
    counts = Counter(area.state for area in areas)
    return [(code, label, counts[code]) for code, label in STATE_LABELS.items()]


class MapView(TemplateView):
    template_name = "maps/map.html"

    def get(self, request, *args, **kwargs):
        # The form shows what the map shows: the defaults where the query string is silent.
        data = request.GET.copy()
        for name, default in MapForm.defaults().items():
            data.setdefault(name, default)
        form = MapForm(data)
        context = {"form": form, "question_count": len(Dimension)}
        if form.is_valid():
            data = form.cleaned_data
            found, areas = map_areas(data["level"], data["dimension"], data["on"], request.user)
            context.update(
                boundaries=found,
                areas=areas,
                legend=legend(areas),
                dimension=data["dimension"],
                question=QUESTIONS[data["dimension"]],
                on=data["on"],
                level=data["level"],
                dated=bool(request.GET.get("on")),
                tracked_count=sum(area.place is not None for area in areas),
            )
        return self.render_to_response(
            self.get_context_data(**context), status=400 if form.errors else 200
        )
