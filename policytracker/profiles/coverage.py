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

The API says the same (api.py). Each page is a constant number of queries: the counts are
subqueries of the one query that lists the places.
"""

from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery
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
    """The states and territories `user` may see, by name, each with its own coverage and
    its counties': `county_count`, `counties_reviewed` (those with any review) and
    `county_reviewed_count` (their reviewed questions, all counted, of
    `county_question_count`)."""
    counties = Jurisdiction.objects.visible_to(user).filter(kind=JurisdictionKind.COUNTY)
    inside = Containment.objects.filter(within=OuterRef("pk"), place__in=counties.values("pk"))
    reviewed = Q(place__dimension_reviews__isnull=False)
    return (
        with_own_coverage(Jurisdiction.objects.visible_to(user).filter(kind__in=STATE_KINDS))
        .annotate(
            county_count=counted(inside, "within", Count("place", distinct=True)),
            counties_reviewed=counted(
                inside, "within", Count("place", filter=reviewed, distinct=True)
            ),
            county_reviewed_count=counted(inside, "within", Count("place__dimension_reviews")),
        )
        .annotate(county_question_count=F("county_count") * QUESTION_COUNT)
    )


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
        return states_with_coverage(self.request.user).order_by("name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(question_count=QUESTION_COUNT, **kwargs)


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
        self.state = get_object_or_404(
            states_with_coverage(self.request.user), slug=self.kwargs["slug"]
        )
        return counties_with_coverage(self.state, self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(state=self.state, question_count=QUESTION_COUNT, **kwargs)
