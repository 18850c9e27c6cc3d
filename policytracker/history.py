"""The change history of every record: what each revision changed, for staff and public.

django-simple-history keeps a row for every create, edit and delete, whatever the path
(admin, API, importers, code), with who and why. Each record's rows also note which fields
changed since its previous public revision, so that the public pages and feed of changes
can list them without comparing rows at read time.
"""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.signals import post_create_historical_record

from policytracker.models import PublicationState

# Bookkeeping that changes with every save and means nothing to a reader.
UNTRACKED = {"id", "created_at", "updated_at", "version"}


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

    def change_kind(self):
        """In words a reader understands: published, changed, withdrawn, deleted."""
        if self.history_type == "-":
            return _("deleted")
        if self.publication_state == PublicationState.WITHDRAWN:
            return _("withdrawn") if "publication_state" in self.changed_fields else _("changed")
        if not self.changed_fields or self.changed_fields == ["*"]:
            return _("published")
        if "publication_state" in self.changed_fields:
            return _("published again")
        return _("changed")

    @property
    def record_type_label(self):
        return self.instance_type._meta.verbose_name

    def changed_field_labels(self):
        opts = self.instance_type._meta
        names = [name for name in self.changed_fields if name not in ("*", "publication_state")]
        return [str(opts.get_field(name).verbose_name) for name in names]


def tracked_fields(model):
    """The fields a revision compares: concrete ones by column, and many-to-many ones."""
    history_model = model.history.model
    concrete = [f for f in model._meta.concrete_fields if f.name not in UNTRACKED]
    many_to_many = [model._meta.get_field(f.name) for f in history_model._history_m2m_fields]
    return concrete, many_to_many


def revision_values(row, model):
    concrete, many_to_many = tracked_fields(model)
    values = {f.name: getattr(row, f.attname) for f in concrete}
    for field in many_to_many:
        through = getattr(row, field.name).all()
        target = field.m2m_reverse_field_name()
        values[field.name] = sorted(getattr(item, f"{target}_id") for item in through)
    return values


def changed_between(old, new, model):
    """Names of the tracked fields whose values differ between two history rows."""
    before, after = revision_values(old, model), revision_values(new, model)
    return [name for name in after if before.get(name) != after[name]]


@receiver(post_create_historical_record)
def note_public_changes(sender, instance, history_instance, **kwargs):
    """Record which fields this revision changed since the last public one ("*": none)."""
    if not isinstance(history_instance, PublicRevision) or not history_instance.is_public:
        return
    previous = (
        type(history_instance)
        ._default_manager.filter(
            id=history_instance.id,
            publication_state__in=PublicationState.public_values(),
            history_id__lt=history_instance.history_id,
        )
        .order_by("-history_id")
        .first()
    )
    model = history_instance.instance_type
    changed = ["*"] if previous is None else changed_between(previous, history_instance, model)
    if history_instance.history_type == "~" and previous is not None and not changed:
        changed = []
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
