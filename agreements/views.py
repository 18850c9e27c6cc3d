from django.utils.translation import gettext_lazy as _

from agreements.filters import AgreementFilterSet, StatementFilterSet
from agreements.models import Agreement, Statement
from policytracker.facets import ChoiceFacet, PlaceFacet
from policytracker.views import RecordDetailView, RecordListView


class AgreementListView(RecordListView):
    model = Agreement
    filterset_class = AgreementFilterSet
    select_related = ("local_party", "local_party__jurisdiction", "federal_party")
    facets = (
        PlaceFacet("local_party__jurisdiction"),
        ChoiceFacet("kind", _("Kind")),
        ChoiceFacet("status", _("Status")),
    )


class AgreementDetailView(RecordDetailView):
    model = Agreement
    select_related = ("local_party__jurisdiction", "federal_party__parent")
    prefetch_related = (("statements", "speaker_agency"),)


class StatementListView(RecordListView):
    model = Statement
    filterset_class = StatementFilterSet
    select_related = ("speaker_agency",)
    facets = (PlaceFacet("about_jurisdictions", label=_("About the place")),)


class StatementDetailView(RecordDetailView):
    model = Statement
    select_related = ("speaker_agency",)
    prefetch_related = (
        "about_jurisdictions",
        "about_agencies",
        "about_ordinances",
        "about_agreements",
        ("about_statements", "speaker_agency"),
        ("responses", "speaker_agency"),
    )
