"""The comparison and the coverage in the API: /api/v1/compare/ and /api/v1/coverage/.

Both are read-only for everyone, and show what the visitor may see (published records, for
the public). The comparison reads its query string through the page's own form, so a link
means the same on the site and here, and bad input is a 400 naming the parameter.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from jurisdictions.models import Jurisdiction
from policytracker.pagination import PageNumberPagination
from policytracker.profiles.compare import (
    MAX_PLACES,
    MIN_PLACES,
    CompareForm,
    RowComparison,
    compare,
    redirect_to_current_slugs,
)
from policytracker.profiles.coverage import (
    QUESTION_COUNT,
    STATE_KINDS,
    counties_with_coverage,
    states_with_coverage,
    with_county_coverage,
)
from policytracker.profiles.dimensions import Dimension, Position
from policytracker.revisions import following_renames
from policytracker.serializers import absolute


class RelatedPlaceSerializer(serializers.Serializer):
    """A place, as the API names a related record: {slug, name, url}."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The place in this API.")

    def get_url(self, place) -> str:
        url = reverse("api:jurisdiction-detail", kwargs={"slug": place.slug})
        return absolute(url, self.context["request"])


# The comparison


class RuleSerializer(serializers.Serializer):
    """The ordinance, agreement or statement a provision belongs to."""

    type = serializers.ChoiceField(
        choices=["ordinance", "agreement", "statement"], source="instrument_field"
    )
    slug = serializers.SlugField(source="instrument.slug")
    title = serializers.CharField(source="instrument")
    url = serializers.SerializerMethodField(help_text="The rule in this API.")
    html_url = serializers.SerializerMethodField(help_text="The rule's page.")

    def get_url(self, provision) -> str:
        view_name = f"api:{provision.instrument_field}-detail"
        url = reverse(view_name, kwargs={"slug": provision.instrument.slug})
        return absolute(url, self.context["request"])

    def get_html_url(self, provision) -> str:
        return absolute(provision.instrument.get_absolute_url(), self.context["request"])


class ComparedProvisionSerializer(serializers.Serializer):
    """One provision: what it says on the question, in which rule, whose, since when, cited."""

    position = serializers.ChoiceField(choices=Position.choices, source="provision.position")
    position_label = serializers.CharField(source="provision.get_position_display")
    rule = RuleSerializer(source="provision")
    place = RelatedPlaceSerializer(
        source="provision.jurisdiction", help_text="The place whose provision it is."
    )
    clause = serializers.CharField(source="provision.clause")
    reported_by = serializers.CharField(
        source="provision.reported_by", help_text="For a reported practice: who reports it."
    )
    in_force_from = serializers.SerializerMethodField(
        help_text='As precise as the sources: "2012", "2012-09" or "2012-09-14".'
    )
    source = serializers.SerializerMethodField()

    def get_in_force_from(self, item) -> str | None:
        start = item.provision.in_force_from()
        return start.isoformat() if start else None

    @extend_schema_field(
        inline_serializer(
            "ProvisionSource",
            {
                "id": serializers.IntegerField(),
                "title": serializers.CharField(),
                "url": serializers.URLField(help_text="The source in this API."),
                "locator": serializers.CharField(help_text="Where in it: a section, a page."),
            },
        )
    )
    def get_source(self, item):
        source = item.provision.source
        url = reverse("api:source-detail", args=[source.pk])
        return {
            "id": source.pk,
            "title": source.title,
            "url": absolute(url, self.context["request"]),
            "locator": item.provision.locator,
        }


class ComparedCellSerializer(serializers.Serializer):
    """One place on one question."""

    # The place is not the cell's: it comes in the context, as `place`.
    place = serializers.SerializerMethodField(help_text="The place's slug.")
    position = serializers.SerializerMethodField(
        help_text="The governing position; null for no recorded rule (see reviewed)."
    )
    governing = ComparedProvisionSerializer(
        allow_null=True, help_text="The provision that decides it; null for no recorded rule."
    )
    inherited_from = RelatedPlaceSerializer(
        source="governing.inherited_from",
        allow_null=True,
        help_text="The place whose binding rule governs here; null when it is the place's own.",
    )
    prevails_over = ComparedProvisionSerializer(
        many=True, help_text="Narrower provisions that conflict with it and give way to it."
    )
    practice = ComparedProvisionSerializer(
        many=True, help_text="Practice reported by someone: attributed, and never governs."
    )
    reviewed = serializers.BooleanField(
        source="is_reviewed", help_text="Whether staff have reviewed the question for the place."
    )
    reviewed_on = serializers.DateField(
        source="review.reviewed_on", allow_null=True, help_text="When they last checked."
    )
    review_note = serializers.SerializerMethodField()

    def get_place(self, cell) -> str:
        return self.context["place"].slug

    @extend_schema_field(serializers.ChoiceField(choices=Position.choices, allow_null=True))
    def get_position(self, cell):
        return cell.position or None

    def get_review_note(self, cell) -> str:
        return cell.review.note if cell.review else ""


class ComparisonRowSerializer(serializers.Serializer):
    question = serializers.ChoiceField(choices=Dimension.choices, source="dimension")
    label = serializers.CharField()
    question_text = serializers.CharField(source="question")
    comparison = serializers.ChoiceField(
        choices=RowComparison.choices,
        help_text=(
            "differs: two places at least are governed by different positions; same: every "
            "place has a recorded rule, all in the same position; partly_recorded: some have "
            "no recorded rule, and those that do agree; not_recorded: none has one."
        ),
    )
    differs = serializers.BooleanField()
    cells = serializers.SerializerMethodField(help_text="One a place, in the order asked.")

    @extend_schema_field(ComparedCellSerializer(many=True))
    def get_cells(self, row):
        return [
            ComparedCellSerializer(cell, context={**self.context, "place": place}).data
            for place, cell in row.entries
        ]


class ComparedPlaceSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="place.slug")
    name = serializers.CharField(source="place.name")
    kind = serializers.CharField(source="place.kind")
    url = serializers.SerializerMethodField(help_text="The place in this API.")
    html_url = serializers.SerializerMethodField(help_text="The place's page.")
    questions_reviewed = serializers.IntegerField(source="reviewed_count")
    questions_with_a_rule = serializers.IntegerField(source="recorded_count")

    def get_url(self, profile) -> str:
        url = reverse("api:jurisdiction-detail", kwargs={"slug": profile.place.slug})
        return absolute(url, self.context["request"])

    def get_html_url(self, profile) -> str:
        return absolute(profile.place.get_absolute_url(), self.context["request"])


@extend_schema_serializer(many=False)  # the answer of a "list" action, but one object
class ComparisonSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The date the profiles are computed for.")
    html_url = serializers.SerializerMethodField(help_text="The comparison's page.")
    csv_url = serializers.SerializerMethodField(help_text="The comparison as CSV.")
    places = ComparedPlaceSerializer(many=True, source="profiles")
    differing_count = serializers.IntegerField(
        help_text="How many questions the places' positions differ on."
    )
    rows = ComparisonRowSerializer(many=True, help_text="One a question, in a fixed order.")

    def get_html_url(self, comparison) -> str:
        return absolute(f"{reverse('profiles:compare')}?{self.context['query']}", self.request)

    def get_csv_url(self, comparison) -> str:
        url = f"{reverse('profiles:compare-csv')}?{self.context['query']}"
        return absolute(url, self.request)

    @property
    def request(self):
        return self.context["request"]


def parameter_errors(messages):
    return OpenApiResponse(
        response=inline_serializer(
            messages,
            {
                "j": serializers.ListField(child=serializers.CharField(), required=False),
                "on": serializers.ListField(child=serializers.CharField(), required=False),
            },
        ),
        description="A parameter is wrong: each message names the problem.",
    )


class CompareViewSet(viewsets.ViewSet):
    """Two to six places side by side, question by question, on a date: the site's /compare/
    as JSON."""

    # Read-only, and each place and provision is already limited to what the visitor may see.
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Compare places' profiles on a date",
        description=(
            "For each policy question, each place's governing position on the date, the "
            "provision and rule that decide it, the place it is inherited from, and whether "
            "the question was reviewed for the place. `position` null is no recorded rule, "
            "not no rule: see `reviewed`. A slug a place had before a rename answers with a "
            "301 to the same comparison under the current slugs."
        ),
        parameters=[
            OpenApiParameter(
                "j",
                OpenApiTypes.STR,
                many=True,
                required=True,
                explode=True,
                description=(
                    f"A place's slug, once per place, {MIN_PLACES} to {MAX_PLACES} of them, "
                    "in the order of the columns: ?j=chicago&j=cook-county."
                ),
            ),
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                description="The date, YYYY-MM-DD; today if not given or empty.",
            ),
        ],
        responses={200: ComparisonSerializer, 400: parameter_errors("CompareErrors")},
    )
    def list(self, request, format=None):  # format: from a suffix, /compare.json
        form = CompareForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.messages())
        if form.renamed:
            return redirect_to_current_slugs(form, "api:compare-list")
        comparison = compare(form.places, on=form.cleaned_data["on"], user=request.user)
        context = {"request": request, "query": form.query()}
        return Response(ComparisonSerializer(comparison, context=context).data)


# The coverage


class CoverageSerializer(serializers.Serializer):
    """A place, with how many of the questions staff have reviewed for it."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    place_url = serializers.SerializerMethodField(help_text="The place in this API.")
    html_url = serializers.SerializerMethodField(help_text="The place's page.")
    questions = serializers.SerializerMethodField(help_text="How many questions there are.")
    reviewed_count = serializers.IntegerField(
        help_text="How many of them staff have reviewed for the place itself."
    )
    last_checked = serializers.DateField(
        allow_null=True, help_text="The latest day one of them was checked; null if none was."
    )

    def get_place_url(self, place) -> str:
        url = reverse("api:jurisdiction-detail", kwargs={"slug": place.slug})
        return absolute(url, self.context["request"])

    def get_html_url(self, place) -> str:
        return absolute(place.get_absolute_url(), self.context["request"])

    def get_questions(self, place) -> int:
        return QUESTION_COUNT


class StateCoverageSerializer(CoverageSerializer):
    """A state or territory: its own reviews, and its counties'."""

    url = serializers.SerializerMethodField(help_text="Its counties' coverage in this API.")
    coverage_html_url = serializers.SerializerMethodField(
        help_text="Its counties' coverage on the site."
    )
    county_count = serializers.IntegerField(help_text="Its counties (and county equivalents).")
    counties_reviewed = serializers.IntegerField(
        help_text="How many of them have at least one question reviewed."
    )
    county_reviewed_count = serializers.IntegerField(
        help_text="The questions reviewed across its counties, all added up."
    )

    def get_url(self, state) -> str:
        url = reverse("api:coverage-detail", kwargs={"slug": state.slug})
        return absolute(url, self.context["request"])

    def get_coverage_html_url(self, state) -> str:
        url = reverse("profiles:coverage-state", kwargs={"slug": state.slug})
        return absolute(url, self.context["request"])


class CoverageViewSet(viewsets.ViewSet):
    """How many of the questions staff have reviewed, per state and per county: the site's
    /coverage/ as JSON. A question not reviewed for a place, with no recorded rule, is not
    known: it does not mean that the place has no rule."""

    permission_classes = [permissions.AllowAny]
    pagination_class = PageNumberPagination
    lookup_field = "slug"

    def paginated(self, queryset, serializer_class, prepare=list):
        paginator = self.pagination_class()
        page = prepare(paginator.paginate_queryset(queryset, self.request, view=self))
        context = {"request": self.request}
        return paginator.get_paginated_response(
            serializer_class(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Review coverage by state",
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=StateCoverageSerializer,  # in pages, as every list
    )
    def list(self, request, format=None):
        return self.paginated(
            states_with_coverage(request.user),
            StateCoverageSerializer,
            prepare=lambda page: with_county_coverage(page, request.user),
        )

    @extend_schema(
        summary="Review coverage of a state's counties",
        parameters=[
            OpenApiParameter(
                "slug",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The state's (or territory's) slug.",
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=inline_serializer(
            "StateCountiesCoverage",
            {
                "count": serializers.IntegerField(help_text="How many counties it has."),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "state": StateCoverageSerializer(),
                "results": CoverageSerializer(many=True),
            },
        ),
    )
    def retrieve(self, request, slug=None, format=None):
        return following_renames(
            request,
            Jurisdiction,
            slug,
            lambda: self.state_response(slug),
            queryset=Jurisdiction.objects.visible_to(request.user).filter(kind__in=STATE_KINDS),
        )

    def state_response(self, slug):
        state = get_object_or_404(states_with_coverage(self.request.user), slug=slug)
        [state] = with_county_coverage([state], self.request.user)
        response = self.paginated(
            counties_with_coverage(state, self.request.user), CoverageSerializer
        )
        state_data = StateCoverageSerializer(state, context={"request": self.request}).data
        response.data = {
            **{key: value for key, value in response.data.items() if key != "results"},
            "state": state_data,
            "results": response.data["results"],
        }
        return response
