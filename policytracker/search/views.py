import hashlib
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from policytracker.exports.streaming import export_response
from policytracker.exports.views import filter_errors_response
from policytracker.feeds.feeds import search_feed_link
from policytracker.search.exports import result_records, search_columns
from policytracker.search.service import Search

RESULTS_PER_PAGE = 20


class SearchView(TemplateView):
    """/search/?q=…: ranked results with snippets, facets, pages, and the filters' form.

    Bad filter values, or more text than the box takes, answer 400 with the form's messages.
    """

    template_name = "search/search.html"

    def get(self, request, *args, **kwargs):
        search = Search(request.GET, request.user, request=request)
        context = self.get_context_data(search=search, filterset=search.filterset)
        if search.is_valid:
            context["feed_url"], context["feed_title"] = search_feed_link(request.GET)
        if search.is_valid and (search.parsed or search.filterset.active_filters):
            paginator = Paginator(search.paginated(), RESULTS_PER_PAGE)
            try:
                page = paginator.page(request.GET.get("page") or 1)
            except InvalidPage as error:
                raise Http404(_("There is no such page of results.")) from error
            context.update(
                paginator=paginator,
                page_obj=page,
                is_paginated=page.has_other_pages(),
                # Both are read when the results are rendered, so not when that is cached.
                results=page.object_list,
                facets=SimpleLazyObject(search.facets),
            )
            context["results_html"] = search.cache.get_or_compute(
                f"html:{get_language()}:{query_digest(request.GET)}",
                lambda: render_to_string("search/_results.html", context, request=request),
            )
        return self.render_to_response(context, status=400 if search.errors else 200)


def query_digest(query):
    """The whole query string, in a stable order: the links in the results depend on it."""
    items = sorted((key, value) for key in query for value in query.getlist(key))
    return hashlib.sha256(urlencode(items).encode()).hexdigest()


class SearchExportView(View):
    """Every result of a search as CSV or JSON, in the page's order, streamed: with its
    record type's columns when the search keeps to one type (search/exports.py)."""

    def get(self, request, file_format):
        search = Search(request.GET, request.user, request=request)
        if search.errors:
            return filter_errors_response(search.filterset)
        record_type = search.filterset.form.cleaned_data.get("type")
        rows = result_records(search, record_type, request.user)
        columns = search_columns(record_type)
        return export_response(file_format, rows, columns, "search", request)
