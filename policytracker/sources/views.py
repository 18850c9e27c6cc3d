"""The sources list, and each source's page with the records that cite it."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.text import capfirst
from django.views.generic import DetailView

from policytracker.models import Citation, Source
from policytracker.sources.filters import CitationFilterSet, SourceFilterSet
from policytracker.sources.queries import (
    CITING_MODELS,
    citation_counts,
    citations_by_type,
    shows_drafts_to,
    visible_sources,
)
from policytracker.views import FilteredListView, FiltersAnswer400, ShowsRevisions


class PrivateWhenDraftsShown:
    """What a visitor who sees drafts is shown may name drafts: never in a shared cache."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if shows_drafts_to(request.user):
            patch_cache_control(response, private=True)
        return response


class SourceListView(PrivateWhenDraftsShown, FilteredListView):
    """The documents cited by records the visitor may see, with how many of those cite each.

    Filtered and sorted by `SourceFilterSet`, as the API is; bad values answer 400.
    """

    model = Source
    filterset_class = SourceFilterSet
    template_name = "sources/source_list.html"

    def get_base_queryset(self):
        return visible_sources(self.request.user)


class SourceDetailView(ShowsRevisions, PrivateWhenDraftsShown, FiltersAnswer400, DetailView):
    """A document, and the records the visitor may see that cite it, by record type; with
    `?revision=N`, the document's description as its revision N gave it.

    Each type shows its first `group_size` citations and its count; ?record_type=agreement
    lists all of one type's, `paginate_by` a page. A query count that does not grow: the
    source, the counts, one query a type (or the page and its count).
    """

    model = Source
    template_name = "sources/source_detail.html"
    group_size = 100
    paginate_by = 100

    def get_queryset(self):
        return self.revisions_queryset(
            Source.objects.cited_by_visible(self.request.user).defer("document_text"),
            with_citations=False,
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        citations = Citation.objects.visible_to(user).filter(source=self.object)
        self.filterset = CitationFilterSet(
            self.request.GET, queryset=citations, request=self.request
        )
        counts = citation_counts(self.object, user)
        context = {
            "filterset": self.filterset,
            "record_type": None,
            "cited_by_public": self.cited_by_public(),
        }
        if not self.filterset.is_valid():
            groups = []
        elif record_type := self.filterset.form.cleaned_data["record_type"]:
            page = self.paginate(self.filterset.qs)
            groups = [self.group(record_type, counts[record_type], page.object_list)]
            context.update(
                record_type=record_type,
                page_obj=page,
                paginator=page.paginator,
                is_paginated=page.has_other_pages(),
            )
        else:
            groups = [
                self.group(
                    field,
                    count,
                    citations_by_type(citations, field)[: self.group_size],
                    more=count > self.group_size,
                )
                for field, count in counts.items()
                if count
            ]
        return super().get_context_data(groups=groups, **context, **kwargs)

    def cited_by_public(self):
        """Whether a published record cites it: staff may see a source only drafts cite."""
        if not shows_drafts_to(self.request.user):
            return True  # the public sees no other
        return Citation.objects.filter(source=self.object).visible_to(None).exists()

    def group(self, field, count, citations, more=False):
        """One record type's citations: a page of them, or its first `group_size` and
        whether it has `more`."""
        plural = CITING_MODELS[field]._meta.verbose_name_plural
        return {
            "record_type": field,
            "label": capfirst(plural),
            "plural": plural,
            "count": count,
            "citations": citations,
            "more": more,
        }

    def paginate(self, citations):
        paginator = Paginator(citations, self.paginate_by)
        try:
            return paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(str(error)) from error
