"""Writes shared by the demo loader and (later) the importers: idempotent and validated."""

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction

from policytracker.models import Source


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@transaction.atomic
def record_upsert(*, model, lookup, values, many_to_many=None):
    """Create or update the record that `lookup` finds, so that it holds `values`.

    Saves only when something differs, so running the same load twice changes nothing
    (not even `updated_at`). Runs the model's full_clean() first: the same rules as the admin.
    Returns the record and what happened to it.
    """
    record = model._default_manager.filter(**lookup).first()
    outcome = Outcome.UNCHANGED
    if record is None:
        record, outcome = model(**lookup), Outcome.CREATED
    for name, value in values.items():
        if _current(record, name) != value:
            setattr(record, name, value)
            outcome = outcome if outcome is Outcome.CREATED else Outcome.UPDATED
    if outcome is not Outcome.UNCHANGED:
        record.full_clean()
        record.save()
    for name, related in (many_to_many or {}).items():
        manager = getattr(record, name)
        if {obj.pk for obj in manager.all()} != {obj.pk for obj in related}:
            manager.set(related)
            outcome = outcome if outcome is Outcome.CREATED else Outcome.UPDATED
    return record, outcome


def record_set_publication(*, record, state):
    """Publish a record or return it to draft, under the same rules as every other edit."""
    record.publication_state = state
    record.full_clean()
    record.save()
    return record


def records_set_publication(*, records, state):
    """Set the state of several records; those that name each other go in a working order.

    Returns the records changed and, for each refused one, the reasons.
    """
    pending, changed = list(records), []
    while pending:
        refused = {}
        for record in pending:
            try:
                with transaction.atomic():
                    record_set_publication(record=record, state=state)
            except ValidationError as error:
                refused[record] = error.messages
            else:
                changed.append(record)
        if len(refused) == len(pending):
            return changed, refused
        pending = list(refused)
    return changed, {}


def _current(record, name):
    """The field's value, without fetching a related row that may not be set yet."""
    field = record._meta.get_field(name)
    if field.is_relation:
        related_id = getattr(record, field.attname)
        return None if related_id is None else field.related_model(pk=related_id)
    return getattr(record, name)


def source_upsert(*, record, title, values):
    """Cite `record` with the source called `title`, holding `values`."""
    return record_upsert(
        model=Source,
        lookup={Source.target_field_for(record): record, "title": title},
        values=values,
    )
