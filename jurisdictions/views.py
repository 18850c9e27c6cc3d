from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Statement
from jurisdictions.filters import AgencyFilterSet, JurisdictionFilterSet, OrdinanceFilterSet
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.facets import ChoiceFacet, PlaceFacet
from policytracker.profiles.forms import AsOfForm
from policytracker.profiles.profile import profile_of, profiles_of
from policytracker.views import RecordDetailView, RecordListView

# A jurisdiction page lists this many of each related record, then links to the full list.
SECTION_SIZE = 20


class JurisdictionListView(RecordListView):
    model = Jurisdiction
    filterset_class = JurisdictionFilterSet
    select_related = ("parent",)
    facets = (
        PlaceFacet("", param="within", label=_("Lies within")),
        ChoiceFacet("kind", _("Kind")),
    )

    def get_context_data(self, **kwargs):
        """Each place on the page with its profile today, for the compact row under it:
        three queries for the whole page."""
        context = super().get_context_data(**kwargs)
        places = list(context["object_list"])
        found = profiles_of(places, user=self.request.user)
        for place in places:
            place.profile = found[place.pk]
        context["object_list"] = places
        return context


class JurisdictionDetailView(RecordDetailView):
    model = Jurisdiction
    # The chain up to the nation is at most four levels: nation, state, county, place.
    select_related = ("parent__parent__parent",)

    def get(self, request, *args, **kwargs):
        self.as_of = AsOfForm(request.GET)
        response = super().get(request, *args, **kwargs)
        if not self.as_of.is_valid() and response.status_code == 200:
            response.status_code = 400  # the page shows, with the date's error in its profile
        return response

    def get_context_data(self, **kwargs):
        place, user = self.object, self.request.user
        ancestors = place.ancestors()
        today = timezone.localdate()
        profile = None
        if self.as_of.is_valid():
            profile = profile_of(place, on=self.as_of.date, user=user)
        return super().get_context_data(
            ancestors=ancestors,
            today=today,
            as_of=self.as_of,
            profile=profile,
            children=Jurisdiction.objects.visible_to(user).children_of(place)[:SECTION_SIZE],
            children_count=Jurisdiction.objects.visible_to(user).children_of(place).count(),
            agencies=Agency.objects.visible_to(user).in_jurisdiction(place)[:SECTION_SIZE],
            ordinances=Ordinance.objects.visible_to(user)
            .in_jurisdiction(place)
            .select_related("issued_by")[:SECTION_SIZE],
            inherited_ordinances=Ordinance.objects.visible_to(user)
            .in_force(on=today)
            .filter(jurisdiction__in=[a.pk for a in ancestors])
            .select_related("jurisdiction")[:SECTION_SIZE],
            agreements=Agreement.objects.visible_to(user)
            .for_jurisdiction(place)
            .select_related("local_party", "federal_party")[:SECTION_SIZE],
            statements=Statement.objects.visible_to(user)
            .about_jurisdiction(place)
            .select_related("speaker_agency")[:SECTION_SIZE],
            section_size=SECTION_SIZE,
            **kwargs,
        )


class AgencyListView(RecordListView):
    model = Agency
    filterset_class = AgencyFilterSet
    select_related = ("jurisdiction",)
    facets = (PlaceFacet("jurisdiction"), ChoiceFacet("kind", _("Kind")))


class AgencyDetailView(RecordDetailView):
    model = Agency
    select_related = ("jurisdiction", "parent__parent")

    def get_context_data(self, **kwargs):
        agency, user = self.object, self.request.user
        return super().get_context_data(
            components=Agency.objects.visible_to(user).filter(parent=agency)[:SECTION_SIZE],
            agreements=Agreement.objects.visible_to(user)
            .involving(agency)
            .select_related("local_party", "federal_party")[:SECTION_SIZE],
            statements=Statement.objects.visible_to(user)
            .by_agency(agency)
            .select_related("speaker_agency")[:SECTION_SIZE],
            statements_about=Statement.objects.visible_to(user)
            .filter(about_agencies=agency)
            .select_related("speaker_agency")[:SECTION_SIZE],
            ordinances=Ordinance.objects.visible_to(user)
            .filter(issued_by=agency)
            .select_related("jurisdiction")[:SECTION_SIZE],
            section_size=SECTION_SIZE,
            **kwargs,
        )


class OrdinanceListView(RecordListView):
    model = Ordinance
    filterset_class = OrdinanceFilterSet
    select_related = ("jurisdiction", "issued_by")
    facets = (
        PlaceFacet("jurisdiction"),
        ChoiceFacet("kind", _("Kind")),
        ChoiceFacet("status", _("Status")),
    )


class OrdinanceDetailView(RecordDetailView):
    model = Ordinance
    select_related = ("jurisdiction", "issued_by", "replaces")
    prefetch_related = (
        "amends",
        "amended_by",
        "replaced_by",
        ("statements", "speaker_agency"),
    )
