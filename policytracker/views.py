"""Views every record type shares, and the site's own pages."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views import defaults
from django.views.generic import DetailView, ListView, TemplateView
from rest_framework.exceptions import NotFound

from agreements.models import Agreement, Statement
from jurisdictions.finder import PlaceQueryForm
from jurisdictions.models import Agency, Jurisdiction, JurisdictionKind, Ordinance
from policytracker.facets import list_facets
from policytracker.feeds.feeds import (
    RECORD_TYPES,
    changes_feed_link,
    list_feed_link,
    record_feed_link,
    revisions_feed_link,
)
from policytracker.page_cache import page_cache_exempt
from policytracker.permalinks import (
    BadRevision,
    page_citation,
    requested_revision,
    show_revision,
    with_current_revision,
)
from policytracker.profiles.dimensions import QUESTIONS
from policytracker.publisher import corrections_contact, corrections_email, data_license
from policytracker.revisions import (
    following_renames,
    recent_changes,
    recent_revisions,
    record_revisions,
    show_staff_names,
)


class FollowsRenames:
    """A page of one record, found by its slug: a slug the record had before answers with a
    permanent redirect to its current address, so links and citations keep working."""

    def get(self, request, *args, **kwargs):
        return following_renames(
            request,
            self.model,
            kwargs["slug"],
            lambda: super(FollowsRenames, self).get(request, *args, **kwargs),
        )


class FiltersAnswer400:
    """A page whose `filterset` has bad values answers 400, with the form's messages."""

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class FilteredListView(FiltersAnswer400, ListView):
    """A list filtered and sorted by `filterset_class` over `get_base_queryset()`."""

    filterset_class = None
    paginate_by = 25

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET, queryset=self.get_base_queryset(), request=self.request
        )
        if not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)


class RecordListView(FilteredListView):
    """A list of published records, filtered and sorted by the record type's FilterSet.

    The same FilterSet serves the API, so a query string means the same in both. Bad filter
    values answer 400 with the form's messages; a page past the end answers 404.
    """

    select_related = ()
    facets = ()  # policytracker.facets specs: counts beside the list, one query each

    def get_base_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(
            *self.select_related
        )

    def get_context_data(self, **kwargs):
        feed_url = feed_title = None
        if not self.filterset.errors:  # a feed of bad filters would only answer 400
            feed_url, feed_title = list_feed_link(self.model, self.request.GET)
        return super().get_context_data(
            feed_url=feed_url,
            feed_title=feed_title,
            facets=list_facets(self.facets, self.object_list, self.request.GET, self.filterset),
            **kwargs,
        )


class ShowsRevisions:
    """A record's page that shows, with `?revision=N`, its published revision N (see
    `policytracker.permalinks`), and the "Cite this page" box. A number that is not one
    answers 400 naming the problem; a revision the public cannot see, 404.

    The view's queryset is `revisions_queryset()` of its own; `get_object()` turns the record
    into the revision asked for."""

    revision_number = None  # asked for by `?revision=`

    def get(self, request, *args, **kwargs):
        try:
            self.revision_number = requested_revision(request.GET)
        except BadRevision as error:
            return bad_revision_response(request, self.model, error)
        return super().get(request, *args, **kwargs)

    def revisions_queryset(self, queryset, with_citations=True):
        """`queryset` with each record's current revision; its current citations too, unless
        a revision's are to be shown."""
        queryset = with_current_revision(queryset)
        if with_citations and self.revision_number is None:
            queryset = queryset.with_citations()
        return queryset

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        if self.revision_number is not None:
            show_revision(record, self.revision_number, self.request.user)
        return record

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cite=page_citation(self.request, self.object),
            shown_revision=getattr(self.object, "shown_revision", None),
            **kwargs,
        )


def bad_revision_response(request, model, error):
    return render(
        request,
        "changes/bad_revision.html",
        {"message": str(error), "record_type": model._meta.verbose_name},
        status=400,
    )


class RecordDetailView(ShowsRevisions, FollowsRenames, DetailView):
    """A record's page, with its sources, primary documents first (`with_citations`).

    With `?revision=N`, the record as its published revision N was (see `ShowsRevisions`)."""

    select_related = ()
    prefetch_related = ()

    def get_queryset(self):
        # A withdrawn record keeps its page, with a notice, so that citations still resolve.
        return self.revisions_queryset(
            self.model.objects.visible_to(self.request.user, withdrawn=True)
            .select_related(*self.select_related)
            .prefetch_visible(*self.prefetch_related, user=self.request.user)
        )

    def get_context_data(self, **kwargs):
        feed_url, feed_title = record_feed_link(self.object)
        return super().get_context_data(feed_url=feed_url, feed_title=feed_title, **kwargs)


class RecordChangesView(FollowsRenames, ListView):
    """A record's public revisions: when it was published, changed or withdrawn, and which
    fields each change touched. Staff names only where the site is configured to show them.

    `get_revisions()` is every page's rows: what the page's download writes.
    """

    model = None
    paginate_by = 50
    template_name = "changes/record_changes.html"

    def get_revisions(self):
        self.record = get_object_or_404(
            self.model.objects.visible_to(self.request.user, withdrawn=True),
            slug=self.kwargs["slug"],
        )
        queryset = record_revisions(self.record)
        if show_staff_names():
            queryset = queryset.select_related("history_user")
        return queryset

    def get_queryset(self):
        return self.get_revisions()

    def get_context_data(self, **kwargs):
        namespace, slug = self.model.url_namespace, self.record.slug
        return super().get_context_data(
            record=self.record,
            list_label=capfirst(self.model._meta.verbose_name_plural),
            trail=[self.record],
            show_staff_names=show_staff_names(),
            **download_links(f"{namespace}:changes-export", slug=slug),
            **kwargs,
        )


class RecentChangesView(TemplateView):
    """The latest public changes of every record type, site-wide: each a record's revision,
    or a change of several records at once (a `ChangeSet`, such as the demo data's load).

    `get_revisions()` is what the page's download writes: every record's revision on its
    own row, so a change of several records is several rows sharing a time and a reason.
    """

    template_name = "changes/recent_changes.html"

    def get_revisions(self):
        return recent_revisions([t.model for t in RECORD_TYPES.values()])

    def get_context_data(self, **kwargs):
        feed_url, feed_title = revisions_feed_link()
        return super().get_context_data(
            revisions=recent_changes([t.model for t in RECORD_TYPES.values()]),
            show_staff_names=show_staff_names(),
            feed_url=feed_url,
            feed_title=feed_title,
            **download_links("changes-export"),
            **kwargs,
        )


def download_links(url_name, **kwargs):
    """A page's download addresses, CSV and JSON, for includes/_download_links.html."""
    return {
        f"{file_format}_url": reverse(url_name, kwargs={**kwargs, "file_format": file_format})
        for file_format in ("csv", "json")
    }


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
            form=PlaceQueryForm(),
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

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            data_license=data_license(),
            corrections=corrections_contact(),
            corrections_email=corrections_email(),
            questions=list(QUESTIONS.items()),
            **kwargs,
        )


@page_cache_exempt
def healthz(request):
    """A constant answer for load balancers, and the benchmark's ceiling: no query, no template
    (not even the page cache's)."""
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception):
    """The 404 page; an address under /api/ that names nothing (a download's file name in
    no format the API has, a slug with characters no slug has) answers as the API's own
    404s do, in JSON, as its schema says."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
