"""Views every record type shares, and the site's own pages."""

from django.http import HttpResponse
from django.views.generic import DetailView, ListView, TemplateView

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, JurisdictionKind, Ordinance
from policytracker.feeds.feeds import changes_feed_link, list_feed_link, record_feed_link


class RecordListView(ListView):
    """A list of published records, filtered and sorted by the record type's FilterSet.

    The same FilterSet serves the API, so a query string means the same in both. Bad filter
    values answer 400 with the form's messages; a page past the end answers 404.
    """

    filterset_class = None
    paginate_by = 25
    select_related = ()

    def get_base_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(
            *self.select_related
        )

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET, queryset=self.get_base_queryset(), request=self.request
        )
        if not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        feed_url = feed_title = None
        if not self.filterset.errors:  # a feed of bad filters would only answer 400
            feed_url, feed_title = list_feed_link(self.model, self.request.GET)
        return super().get_context_data(
            filterset=self.filterset, feed_url=feed_url, feed_title=feed_title, **kwargs
        )

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class RecordDetailView(DetailView):
    select_related = ()
    prefetch_related = ("sources",)

    def get_queryset(self):
        return (
            self.model.objects.visible_to(self.request.user)
            .select_related(*self.select_related)
            .prefetch_visible(*self.prefetch_related, user=self.request.user)
        )

    def get_context_data(self, **kwargs):
        feed_url, feed_title = record_feed_link(self.object)
        return super().get_context_data(feed_url=feed_url, feed_title=feed_title, **kwargs)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        feed_url, feed_title = changes_feed_link()
        places = (
            Jurisdiction.objects.published()
            .exclude(kind=JurisdictionKind.NATION)
            .with_published_records()
            .select_related("parent__parent")  # the template names the parent's parent
            .order_by("name")[:24]
        )
        return super().get_context_data(
            places=places,
            nation=Jurisdiction.objects.published().filter(kind=JurisdictionKind.NATION).first(),
            counts={
                "jurisdictions": Jurisdiction.objects.published().count(),
                "agencies": Agency.objects.published().count(),
                "ordinances": Ordinance.objects.published().count(),
                "agreements": Agreement.objects.published().count(),
                "statements": Statement.objects.published().count(),
            },
            recent_agreements=Agreement.objects.published()
            .select_related("local_party", "federal_party")
            .order_by("-updated_at")[:5],
            recent_statements=Statement.objects.published()
            .select_related("speaker_agency")
            .order_by("-updated_at")[:5],
            feed_url=feed_url,
            feed_title=feed_title,
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "about.html"


def healthz(request):
    """A constant answer for load balancers, and the benchmark's ceiling: no query, no template."""
    return HttpResponse("ok", content_type="text/plain")
