"""The place finder: type a city, county or state's name and go to its page.

    /places/find/?q=cook           the page: one match (or one exact match) redirects to the
                                   place's page; several are listed, best first; none says so
    /places/suggest.json?q=coo     at most ten suggestions, for the home page's field as
                                   one types (static/js/place-finder.js)

Accents, case and punctuation are ignored (`jurisdictions.names.fold`), and a name may be
partial: the ranking is `JurisdictionQuerySet.named_like`'s. Both answer 400 to an empty or
over-long query, naming the problem, and take a constant number of queries.
"""

from django import forms
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from jurisdictions.models import EXACT, Jurisdiction, JurisdictionKind
from jurisdictions.names import fold

# Longer than any place's name people type; the rest would be noise.
MAX_QUERY_LENGTH = 100
SUGGESTIONS = 10


class PlaceQueryForm(forms.Form):
    q = forms.CharField(
        label=_("Find your city, county or state"),
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Type its name, or the start of it: Chicago, Cook County, Illinois."),
        error_messages={
            "required": _("Type the name of a city, county or state to find it."),
            "max_length": _(
                "A place's name is at most %(limit_value)d characters; this has %(show_value)d."
            ),
        },
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_q(self):
        text = self.cleaned_data["q"]
        if not fold(text):
            raise forms.ValidationError(
                _("Type a place's name in letters: “%(value)s” has none."),
                code="no_letters",
                params={"value": text[:40]},
            )
        return text


def found_places(user, text):
    """The places `user` may see whose name is like `text`, best first, each with the
    places it lies within (up to the state) selected."""
    return (
        Jurisdiction.objects.visible_to(user)
        .named_like(text)
        .select_related("parent__parent__parent")
    )


def containers(place):
    """The places `place` lies within, nearest first, without the nation: Cook County,
    Illinois. Reads only what `found_places` selected."""
    names, node = [], place.parent
    for level in range(3):
        if node is None or node.kind == JurisdictionKind.NATION:
            break
        names.append(node)
        if level < 2:  # the third container's parent was not selected: one query a place
            node = node.parent
    return names


def one_place(places):
    """The place to go to straight away: the only match, or the only exact one; else None.
    `places` is the first page of matches, best first."""
    places = list(places[:2])
    if len(places) == 1:
        return places[0]
    if places and places[0].match == EXACT and places[1].match != EXACT:
        return places[0]
    return None


class FindPlaceView(ListView):
    """The finder's page, 25 a page. With no `q` at all: the form alone."""

    template_name = "jurisdictions/find_place.html"
    context_object_name = "places"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        self.form = PlaceQueryForm(request.GET if "q" in request.GET else None)
        if not self.form.is_bound or not self.form.is_valid():
            self.object_list = Jurisdiction.objects.none()
            context = self.get_context_data(form=self.form, searched=False)
            return self.render_to_response(context, status=400 if self.form.errors else 200)
        self.object_list = found_places(request.user, self.form.cleaned_data["q"])
        context = self.get_context_data(form=self.form, searched=True)
        page = context["page_obj"]
        places = list(page.object_list)
        if page.number == 1 and (place := one_place(places)):
            return redirect(place)
        for place in places:
            place.containers = containers(place)
        context["places"] = context["object_list"] = places
        return self.render_to_response(context)


def suggestion(place):
    return {
        "name": place.name,
        "kind": place.get_kind_display(),
        "within": ", ".join(str(container) for container in containers(place)),
        "url": place.get_absolute_url(),
    }


def suggest(request):
    """{"q": …, "places": [{name, kind, within, url}, …]}: the ten best matches, one query.
    A bad query: 400, {"q": [message, …]}."""
    form = PlaceQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {name: [str(error) for error in errors] for name, errors in form.errors.items()},
            status=400,
        )
    text = form.cleaned_data["q"]
    places = found_places(request.user, text)[:SUGGESTIONS]
    return JsonResponse({"q": text, "places": [suggestion(place) for place in places]})
