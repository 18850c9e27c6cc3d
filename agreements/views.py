from agreements.filters import AgreementFilterSet, StatementFilterSet
from agreements.models import Agreement, Statement
from policytracker.views import RecordDetailView, RecordListView


class AgreementListView(RecordListView):
    model = Agreement
    filterset_class = AgreementFilterSet
    select_related = ("local_party", "local_party__jurisdiction", "federal_party")


class AgreementDetailView(RecordDetailView):
    model = Agreement
    select_related = ("local_party__jurisdiction", "federal_party__parent")
    prefetch_related = (("statements", "speaker_agency"),)


class StatementListView(RecordListView):
    model = Statement
    filterset_class = StatementFilterSet
    select_related = ("speaker_agency",)


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
