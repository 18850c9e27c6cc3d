"""How far staff have reviewed the questions, state by state and county by county.

A resident must never read "no recorded rule" as "no rule". A question is *reviewed* for a
place when staff have looked through the sources for it and recorded the day they last
checked (a `DimensionReview`); until then, a question with no recorded rule is simply not
known. These pages say where that work has been done:

    /coverage/                 each state (and territory): its own reviewed questions, its
                               counties, how many have any review, the questions reviewed
                               across them
    /coverage/<state-slug>/    the state's counties, each with its reviewed questions and the
                               day last checked, 50 a page

The API says the same (api.py). Each page is a constant number of queries: a place's own
counts are subqueries of the query that lists the places, and the counties of the states
shown are counted together in one more.
"""

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from jurisdictions.models import Containment, Jurisdiction, JurisdictionKind
from policytracker.profiles.dimensions import Dimension
from policytracker.profiles.models import DimensionReview
from policytracker.revisions import following_renames

# The places listed on /coverage/: states, the District of Columbia (a state for the
# Census) and territories.
STATE_KINDS = (JurisdictionKind.STATE, JurisdictionKind.TERRITORY)
# How many questions a place could have reviewed.
QUESTION_COUNT = len(Dimension)


def counted(queryset, group, value):
    """`value` (an aggregate) over the rows of `queryset` grouped by `group`, which the
    caller ties to the outer row: a subquery for an annotation, 0 when there is no row."""
    subquery = Subquery(
        queryset.order_by().values(group).annotate(value=value).values("value"),
        output_field=IntegerField(),
    )
    return Coalesce(subquery, 0)


def own_reviews():
    """The place's own reviews, tied to the outer place."""
    return DimensionReview.objects.filter(jurisdiction=OuterRef("pk"))


def last_checked():
    return Subquery(
        own_reviews()
        .order_by()
        .values("jurisdiction")
        .annotate(last=Max("reviewed_on"))
        # The value only: "last" as a date, not an integer.
        .values("last")
    )


def with_own_coverage(places):
    """Each place with `reviewed_count` (of its own questions) and `last_checked`."""
    return places.annotate(
        reviewed_count=counted(own_reviews(), "jurisdiction", Count("pk")),
        last_checked=last_checked(),
    )


def states_with_coverage(user):
    """The states and territories `user` may see, by name, each with its own coverage.
    `with_county_coverage()` adds their counties'."""
    return with_own_coverage(
        Jurisdiction.objects.visible_to(user).filter(kind__in=STATE_KINDS)
    ).order_by("name", "pk")


def with_county_coverage(states, user):
    """`states` (records, a page of them), each given its counties' coverage, in one query:
    `county_count`, `counties_reviewed` (those with any question reviewed),
    `county_reviewed_count` (their reviewed questions, all added up) of
    `county_question_count`. Counties are those `user` may see."""
    states = list(states)
    counties = Jurisdiction.objects.visible_to(user).filter(kind=JurisdictionKind.COUNTY)
    found = {
        row["within"]: row
        for row in Containment.objects.filter(
            within__in=[state.pk for state in states], place__in=counties.values("pk")
        )
        .values("within")
        .annotate(
            county_count=Count("place", distinct=True),
            counties_reviewed=Count(
                "place", distinct=True, filter=Q(place__dimension_reviews__isnull=False)
            ),
            county_reviewed_count=Count("place__dimension_reviews"),
        )
        .order_by()
    }
    for state in states:
        row = found.get(state.pk, {})
        state.county_count = row.get("county_count", 0)
        state.counties_reviewed = row.get("counties_reviewed", 0)
        state.county_reviewed_count = row.get("county_reviewed_count", 0)
        state.county_question_count = state.county_count * QUESTION_COUNT
    return states


def counties_with_coverage(state, user):
    """The counties of `state` that `user` may see, by name, each with its own coverage."""
    return with_own_coverage(
        Jurisdiction.objects.visible_to(user)
        .filter(kind=JurisdictionKind.COUNTY)
        .within(state, itself=False)
    ).order_by("name", "pk")


class CoverageView(ListView):
    """/coverage/: each state and territory, with what has been reviewed there."""

    template_name = "profiles/coverage.html"
    context_object_name = "states"
    paginate_by = 100  # more than there are states and territories: one page in practice

    def get_queryset(self):
        return states_with_coverage(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(question_count=QUESTION_COUNT, **kwargs)
        context["states"] = context["object_list"] = with_county_coverage(
            context["object_list"], self.request.user
        )
        return context


class CoverageStateView(ListView):
    """/coverage/<state-slug>/: the state's counties, 50 a page; a renamed state's old slug
    redirects to its current one, an unknown one (or a place that is not a state) is 404."""

    template_name = "profiles/coverage_state.html"
    context_object_name = "counties"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        return following_renames(
            request,
            Jurisdiction,
            kwargs["slug"],
            lambda: super(CoverageStateView, self).get(request, *args, **kwargs),
            queryset=Jurisdiction.objects.visible_to(request.user).filter(kind__in=STATE_KINDS),
        )

    def get_queryset(self):
        user = self.request.user
        state = get_object_or_404(states_with_coverage(user), slug=self.kwargs["slug"])
        [self.state] = with_county_coverage([state], user)
        return counties_with_coverage(self.state, user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(state=self.state, question_count=QUESTION_COUNT, **kwargs)
