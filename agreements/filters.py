import django_filters
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementKind, AgreementStatus, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.filters import (
    InForceOnFilter,
    OrderingFilter,
    RecordFilterSet,
    SlugFilter,
    date_range,
)


class AgreementFilterSet(RecordFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("Title contains"))
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices)
    jurisdiction = SlugFilter(
        model=Jurisdiction,
        field_name="local_party__jurisdiction",
        label=_("Jurisdiction of the local party (slug)"),
    )
    local_party = SlugFilter(model=Agency, label=_("Local party (slug)"))
    federal_party = SlugFilter(model=Agency, label=_("Federal party (slug)"))
    in_force_on = InForceOnFilter()
    signed_from, signed_to = date_range("signed_on", _("Signed"))
    ordering = OrderingFilter(
        fields=(("signed_on", "signed"), ("title", "title"), ("updated_at", "updated")),
    )

    class Meta:
        model = Agreement
        fields = ["title", "kind", "status", "jurisdiction", "local_party", "federal_party"]


class StatementFilterSet(RecordFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("Title contains"))
    speaker_agency = SlugFilter(model=Agency, label=_("Speaker's agency (slug)"))
    jurisdiction = SlugFilter(
        model=Jurisdiction, field_name="about_jurisdictions", label=_("About the place (slug)")
    )
    agency = SlugFilter(
        model=Agency, field_name="about_agencies", label=_("About the agency (slug)")
    )
    ordinance = SlugFilter(
        model=Ordinance, field_name="about_ordinances", label=_("About the rule (slug)")
    )
    agreement = SlugFilter(
        model=Agreement, field_name="about_agreements", label=_("About the agreement (slug)")
    )
    made_from, made_to = date_range("made_on", _("Made"))
    ordering = OrderingFilter(
        fields=(("made_on", "date"), ("title", "title"), ("updated_at", "updated")),
    )

    class Meta:
        model = Statement
        fields = ["title", "speaker_agency", "jurisdiction", "agency", "ordinance", "agreement"]
