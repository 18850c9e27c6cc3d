"""Public revisions: what the history of records shows to everyone.

A revision is public when the record was published or withdrawn by it; its `changed_fields`
(noted when the history row was written, see `policytracker.history`) name what changed
since the record's previous public revision. Drafts and reviews never show here.
"""

import itertools

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from policytracker.models import PublicationState

# Revisions on the site-wide page and feed.
RECENT_SIZE = 50


def public_revisions(model):
    """A record type's public revisions that changed something, newest first."""
    return (
        model.history.filter(publication_state__in=PublicationState.public_values())
        .exclude(changed_fields=[])
        .order_by("-history_date", "-history_id")
    )


def record_revisions(record):
    return public_revisions(type(record)).filter(id=record.pk)


def recent_revisions(models, limit=RECENT_SIZE):
    """The newest `limit` public revisions of several record types: one query each."""
    rows = itertools.chain.from_iterable(
        public_revisions(model).select_related("history_user")[:limit] for model in models
    )
    return sorted(rows, key=lambda row: (row.history_date, row.history_id), reverse=True)[:limit]


def renamed_record(model, slug, user, queryset=None):
    """The record of `queryset` (by default those `user` may open) that was last seen under
    `slug` and has another slug now; None if there is none. A slug in use today never gets
    here. The public is led only from slugs a record had while public: a working title it
    had as a draft stays unknown to them."""
    queryset = queryset if queryset is not None else model.objects.visible_to(user, withdrawn=True)
    history = model.history.filter(slug=slug)
    if not model.objects.shows_drafts_to(user):
        history = history.filter(publication_state__in=PublicationState.public_values())
    record_id = (
        history.order_by("-history_date", "-history_id").values_list("id", flat=True).first()
    )
    if record_id is None:
        return None
    return queryset.filter(pk=record_id).exclude(slug=slug).first()


# A slug may later pass to another record: browsers keep a redirect for an hour only.
REDIRECT_MAX_AGE = 3600


def redirect_to_renamed(request, model, slug, queryset=None):
    """A permanent redirect to the same page under the record's new slug, for an address
    made with a slug the record has since dropped; None when no record had that slug.

    `queryset`: the records the page may show (by default those the user may open)."""
    record = renamed_record(model, slug, request.user, queryset)
    if record is None:
        return None
    match = request.resolver_match
    url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": record.slug})
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
    # A draft's new address is for the staff member who asked, not for shared caches.
    if record.is_public:
        patch_cache_control(response, max_age=REDIRECT_MAX_AGE)
    else:
        patch_cache_control(response, max_age=REDIRECT_MAX_AGE, private=True)
    return response


def following_renames(request, model, slug, respond, queryset=None):
    """`respond()`, or, when it finds no record by `slug` (Http404), the redirect to the
    record that had that slug (see `redirect_to_renamed`); the 404 stands if none did."""
    try:
        return respond()
    except Http404:
        redirect = redirect_to_renamed(request, model, slug, queryset)
        if redirect is None:
            raise
        return redirect


def show_staff_names():
    """Staff names appear on public pages only where the site is configured to show them."""
    return settings.HISTORY_SHOW_STAFF_NAMES
