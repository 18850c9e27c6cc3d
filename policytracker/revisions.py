"""Public revisions: what the history of records shows to everyone.

A revision is public when the record was published or withdrawn by it; its `changed_fields`
(noted when the history row was written, see `policytracker.history`) name what changed
since the record's previous public revision. Drafts and reviews never show here.
"""

import itertools

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

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


def renamed_record(model, slug, user):
    """The record, visible to `user`, that was last seen in history under `slug` and has
    another slug now; None if there is none. A slug in use today never gets here."""
    record_id = (
        model.history.filter(slug=slug)
        .order_by("-history_date", "-history_id")
        .values_list("id", flat=True)
        .first()
    )
    if record_id is None:
        return None
    return (
        model.objects.visible_to(user, withdrawn=True)
        .filter(pk=record_id)
        .exclude(slug=slug)
        .first()
    )


def redirect_to_renamed(request, model, slug):
    """A permanent redirect to the same page under the record's new slug, for an address
    made with a slug the record has since dropped; None when no record had that slug."""
    record = renamed_record(model, slug, request.user)
    if record is None:
        return None
    match = request.resolver_match
    url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": record.slug})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def show_staff_names():
    """Staff names appear on public pages only where the site is configured to show them."""
    return settings.HISTORY_SHOW_STAFF_NAMES
