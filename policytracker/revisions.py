"""Public revisions: what the history of records shows to everyone.

A revision is public when the record was published or withdrawn by it; its `changed_fields`
(noted when the history row was written, see `policytracker.history`) name what changed
since the record's previous public revision. Drafts and reviews never show here.
"""

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    """The newest `limit` public revisions of several record types, each on its own (a
    change of several records gives several): one query each."""
    rows = itertools.chain.from_iterable(
        public_revisions(model).select_related("history_user")[:limit] for model in models
    )
    return sorted(rows, key=lambda row: (row.history_date, row.history_id), reverse=True)[:limit]


# What the history rows of one change share (see `policytracker.history.one_change`).
CHANGE_KEY = ("history_date", "history_change_reason", "history_user_id")


@dataclass
class ChangeSet:
    """The public revisions of several records written as one change (the same moment,
    reason and user): a load of the demo data, say. Listed once among the recent changes;
    each record's own changes still list its revision."""

    history_date: datetime.datetime
    history_change_reason: str
    history_user_id: int | None
    # {record model: (records it changed, of which records it created)}, in the models' order
    records: dict = field(default_factory=dict)
    history_user: object = None

    is_change_set = True

    def __str__(self):
        count = self.record_count
        return ngettext("%(count)s record", "%(count)s records", count) % {
            "count": intcomma(count)
        }

    @property
    def record_count(self):
        return sum(changed for changed, _created in self.records.values())

    def change_kind(self):
        """Published, when it made every record it holds; else changed."""
        if all(changed == created for changed, created in self.records.values()):
            return _("published")
        return _("changed")

    def record_types(self):
        """[(count, label)] of each record type it changed: (4, "jurisdictions")."""
        return [
            (
                changed,
                model._meta.verbose_name if changed == 1 else model._meta.verbose_name_plural,
            )
            for model, (changed, _created) in self.records.items()
        ]

    def changed_field_labels(self):
        return []


def recent_changes(models, limit=RECENT_SIZE):
    """The newest `limit` public changes of several record types, newest first.

    A change is a record's revision, or a `ChangeSet`: the revisions of several records
    written as one change. A constant number of queries: for each type, one for its changes
    and one for its revisions shown alone; one for the users of change sets, if any.
    """
    changes = defaultdict(dict)  # change key -> {model: its rows' counts}
    for model in models:
        grouped = (
            public_revisions(model)
            .order_by()
            .values(*CHANGE_KEY)
            .annotate(
                records=Count("id", distinct=True),
                created=Count("id", distinct=True, filter=Q(history_type="+")),
                latest=Max("history_id"),
            )
            .order_by("-history_date", "history_change_reason", "history_user_id")[:limit]
        )
        for row in grouped:
            changes[tuple(row[name] for name in CHANGE_KEY)][model] = row
    newest = sorted(changes, key=lambda key: key[0], reverse=True)[:limit]

    def one_record(key):
        return sum(row["records"] for row in changes[key].values()) == 1

    alone = defaultdict(list)  # model -> the history ids of the revisions shown alone
    for key in filter(one_record, newest):
        ((model, row),) = changes[key].items()
        alone[model].append(row["latest"])
    revisions = {
        (model, revision.history_id): revision
        for model, ids in alone.items()
        for revision in public_revisions(model)
        .filter(history_id__in=ids)
        .select_related("history_user")
    }
    user_ids = {key[2] for key in newest if key[2] is not None and not one_record(key)}
    users = get_user_model()._default_manager.in_bulk(user_ids) if user_ids else {}
    listed = []
    for key in newest:
        by_model = changes[key]
        if one_record(key):
            ((model, row),) = by_model.items()
            listed.append(revisions[(model, row["latest"])])
            continue
        date, reason, user_id = key
        listed.append(
            ChangeSet(
                history_date=date,
                history_change_reason=reason or "",
                history_user_id=user_id,
                records={
                    model: (row["records"], row["created"]) for model, row in by_model.items()
                },
                history_user=users.get(user_id),
            )
        )
    return listed


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
