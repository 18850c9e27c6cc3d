"""The pages of a place's policy profile."""

from django.utils import timezone
from django.views.generic import DetailView

from jurisdictions.models import Jurisdiction
from policytracker.profiles.forms import YearRangeForm
from policytracker.profiles.timeline import chart_of, place_timeline
from policytracker.views import FollowsRenames


class TimelineView(FollowsRenames, DetailView):
    """A place's timeline: a chart of its own and inherited records' dated events, and the
    list of them beneath it (the chart's accessible equivalent), each linking to its record.

    `?from=` and `?to=` keep the years between them; bad values answer 400 with the form's
    messages. A withdrawn place keeps its timeline, as it keeps its page.
    """

    model = Jurisdiction
    template_name = "profiles/timeline.html"

    def get_queryset(self):
        return Jurisdiction.objects.visible_to(self.request.user, withdrawn=True)

    def get_context_data(self, **kwargs):
        self.form = form = YearRangeForm(self.request.GET)
        timeline = chart = None
        if form.is_valid():
            today = timezone.localdate()
            years = {"first_year": form.cleaned_data["from"], "last_year": form.cleaned_data["to"]}
            timeline = place_timeline(self.object, user=self.request.user, today=today, **years)
            chart = chart_of(timeline, today=today, **years)
        trail = [*timeline.trail, self.object] if timeline else [self.object]
        return super().get_context_data(
            form=form, timeline=timeline, chart=chart, trail=trail, **kwargs
        )

    def render_to_response(self, context, **response_kwargs):
        if self.form.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)
