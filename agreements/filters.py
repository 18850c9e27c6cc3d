import django_filters
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementKind, AgreementStatus, Statement
from jurisdictions.models import Agency, Ordinance
from policytracker.filters import (
    InForceOnFilter,
    KindFilter,
    OrderingFilter,
    PlaceFilter,
    PlaceOnlyFilter,
    RecordFilterSet,
    SlugFilter,
    date_range,
)


class AgreementFilterSet(RecordFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("Title contains"))
    kind = KindFilter(
        choices=AgreementKind.choices,
        groups={"287g": (_("287(g), any model"), AgreementKind.models_287g())},
    )
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    jurisdiction = PlaceFilter(
        field_name="local_party__jurisdiction", label=_("Jurisdiction of the local party (slug)")
    )
    jurisdiction_only = PlaceOnlyFilter()
    local_party = SlugFilter(model=Agency, label=_("Local party (slug)"))
    federal_party = SlugFilter(model=Agency, label=_("Federal party (slug)"))
    in_force_on = InForceOnFilter()
    signed_from, signed_to = date_range("signed_on", _("Signed"))
    ordering = OrderingFilter(
        fields=(("signed_on", "signed"), ("title", "title"), ("updated_at", "updated")),
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "status",
            "jurisdiction",
            "jurisdiction_only",
            "local_party",
            "federal_party",
        ]


class StatementFilterSet(RecordFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("Title contains"))
    speaker_agency = SlugFilter(model=Agency, label=_("Speaker's agency (slug)"))
    jurisdiction = PlaceFilter(field_name="about_jurisdictions", label=_("About the place (slug)"))
    jurisdiction_only = PlaceOnlyFilter()
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
        fields = [
            "title",
            "speaker_agency",
            "jurisdiction",
            "jurisdiction_only",
            "agency",
            "ordinance",
            "agreement",
        ]
