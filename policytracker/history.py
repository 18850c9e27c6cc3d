"""The change history of every record: what each revision changed, for staff and public.

django-simple-history keeps a row for every create, edit and delete, whatever the path
(admin, API, importers, code), with who and why. Each record's rows also note which fields
changed since its previous public revision, so that the public pages and feed of changes
can list them without comparing rows at read time.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.signals import (
    post_create_historical_record,
    pre_create_historical_record,
)

from policytracker.models import PublicationState

# Bookkeeping that changes with every save and means nothing to a reader (a place's
# `search_name` is its name, folded for the place finder).
UNTRACKED = {"id", "created_at", "updated_at", "version", "search_name"}


class ChangeKind(models.TextChoices):
    """What a public revision did, in a reader's words (the code is the downloads')."""

    PUBLISHED = "published", _("published")
    PUBLISHED_AGAIN = "published_again", _("published again")
    CHANGED = "changed", _("changed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    DELETED = "deleted", _("deleted")


class PublicRevision(models.Model):
    """What a record's history rows add to django-simple-history's."""

    changed_fields = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Fields changed since the record's previous public revision."),
    )

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.publication_state in PublicationState.public_values()

    def change_code(self):
        """What this revision did: a ChangeKind."""
        if self.history_type == "-":
            return ChangeKind.DELETED
        if self.publication_state == PublicationState.WITHDRAWN:
            if "publication_state" in self.changed_fields:
                return ChangeKind.WITHDRAWN
            return ChangeKind.CHANGED
        if not self.changed_fields or self.changed_fields == ["*"]:
            return ChangeKind.PUBLISHED
        if "publication_state" in self.changed_fields:
            return ChangeKind.PUBLISHED_AGAIN
        return ChangeKind.CHANGED

    def change_kind(self):
        """In words a reader understands: published, changed, withdrawn, deleted."""
        return self.change_code().label

    @property
    def record_type_label(self):
        return self.instance_type._meta.verbose_name

    def shown_changed_fields(self):
        """The fields the public pages name as changed: not the publication state, which
        the kind of change says, nor "*", a first publication's."""
        return [name for name in self.changed_fields if name not in ("*", "publication_state")]

    def changed_field_labels(self):
        opts = self.instance_type._meta
        return [str(opts.get_field(name).verbose_name) for name in self.shown_changed_fields()]


# The change being written by `one_change()`, if any: (its moment, its reason).
_one_change = contextvars.ContextVar("one_change", default=None)


@contextmanager
def one_change(reason):
    """Keep every history row written inside as part of one change: each row is dated at the
    moment the change began and, unless it has a reason of its own, given `reason`.

    Each record keeps its own rows (its page of changes still shows it created or changed);
    the site's list of recent changes shows the rows that share a moment, reason and user as
    one change of several records (see `policytracker.revisions.recent_changes`). For writes
    of many records at once, such as loading the demo data.
    """
    token = _one_change.set((timezone.now(), reason))
    try:
        yield
    finally:
        _one_change.reset(token)


# Connected before `note_public_changes`, which compares by the row's date.
@receiver(pre_create_historical_record)
def date_rows_of_one_change(sender, history_instance, **kwargs):
    change = _one_change.get()
    if change is None:
        return
    history_instance.history_date, reason = change
    history_instance.history_change_reason = history_instance.history_change_reason or reason


@functools.cache
def tracked_fields(model):
    """The fields a revision compares: concrete ones by column, and many-to-many ones.

    Kept once per model: reading the history manager builds a queryset class each time."""
    history_model = model.history.model
    concrete = [f for f in model._meta.concrete_fields if f.name not in UNTRACKED]
    many_to_many = [model._meta.get_field(f.name) for f in history_model._history_m2m_fields]
    return concrete, many_to_many


def concrete_values(row, model):
    return {f.name: getattr(row, f.attname) for f in tracked_fields(model)[0]}


def many_to_many_values(row, model):
    values = {}
    for field in tracked_fields(model)[1]:
        target = field.m2m_reverse_field_name()
        values[field.name] = sorted(
            getattr(item, f"{target}_id") for item in getattr(row, field.name).all()
        )
    return values


def changed_between(old, new, values):
    before, after = values(old), values(new)
    return [name for name in after if before.get(name) != after[name]]


def previous_public(history_instance):
    """The record's last public revision before this one (which is not written yet)."""
    return (
        type(history_instance)
        ._default_manager.filter(
            id=history_instance.id,
            publication_state__in=PublicationState.public_values(),
            history_date__lte=history_instance.history_date,
        )
        .order_by("-history_date", "-history_id")
        .first()
    )


@receiver(pre_create_historical_record)
def note_public_changes(sender, instance, history_instance, **kwargs):
    """Note which fields this revision changes since the last public one ("*": all, a first
    publication), before the row is written.

    A many-to-many change arrives as a revision of its own, after the record's save, with
    no other field changed: its fields are compared once its related rows are written.
    """
    if not isinstance(history_instance, PublicRevision) or not history_instance.is_public:
        return
    previous = previous_public(history_instance)
    if previous is None or history_instance.history_type == "-":
        history_instance.changed_fields = ["*"]
        return
    model = history_instance.instance_type
    history_instance.changed_fields = changed_between(
        previous, history_instance, lambda row: concrete_values(row, model)
    )
    history_instance._previous_public = previous


@receiver(post_create_historical_record)
def note_many_to_many_changes(sender, instance, history_instance, **kwargs):
    previous = getattr(history_instance, "_previous_public", None)
    if previous is None or history_instance.changed_fields:
        return
    model = history_instance.instance_type
    if not tracked_fields(model)[1]:
        return
    changed = changed_between(previous, history_instance, lambda r: many_to_many_values(r, model))
    if changed:
        type(history_instance)._default_manager.filter(pk=history_instance.pk).update(
            changed_fields=changed
        )
        history_instance.changed_fields = changed


def field_changes(old, new):
    """For staff: each field that differs between two history rows, with both values."""
    delta = new.diff_against(old, foreign_keys_are_objs=True)
    opts = new.instance_type._meta
    changes = []
    for change in delta.changes:
        if change.field in UNTRACKED:
            continue
        field = opts.get_field(change.field)
        old_value, new_value = change.old, change.new
        if field.many_to_many:
            target = field.m2m_reverse_field_name()
            model = field.related_model._default_manager
            old_value, new_value = (
                ", ".join(str(o) for o in model.filter(pk__in=[i[target] for i in rows or []]))
                for rows in (old_value, new_value)
            )
        elif field.choices:
            labels = dict(field.flatchoices)
            old_value, new_value = (
                labels.get(old_value, old_value),
                labels.get(new_value, new_value),
            )
        changes.append({"field": field.verbose_name, "old": old_value, "new": new_value})
    return changes
