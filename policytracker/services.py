"""Writes shared by the admin, the API, the demo loader and the importers: validated."""

from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policytracker.models import (
    Citation,
    ProposedChange,
    ProposedChangeState,
    PublicationState,
    Source,
)


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


def check_may_set_publication(*, user, record, state):
    """Editors may move a record between draft and review; only Reviewers publish or
    withdraw, or take a public record back. `user` None is code (importers, the demo)."""
    if user is None or record.publication_state == state:
        return
    leaving_public = record.pk is not None and record.is_public
    if (PublicationState.needs_reviewer(state) or leaving_public) and not user.has_perm(
        record.publish_permission()
    ):
        raise PermissionDenied(
            _("Only a Reviewer may publish, withdraw or unpublish %(record_type)s.")
            % {"record_type": record.verbose_name_with_article}
        )


def record_set_publication(*, record, state, user=None, reason=""):
    """Move a record along draft → in review → published → withdrawn.

    Under the same rules as every other edit, and one more: a public record cites at least
    one source. `user` must hold the Reviewers' permission to publish or withdraw.
    """
    check_may_set_publication(user=user, record=record, state=state)
    previous = record.publication_state
    was_public = record.pk is not None and record.is_public
    record.publication_state = state
    try:
        errors = record.source_errors(was_public=was_public)
        if errors:
            raise ValidationError(errors)
        record.full_clean()
        if reason:
            record._change_reason = reason
        record.save()
    except BaseException:
        record.publication_state = previous  # a refused record is left as it was
        raise
    return record


def records_set_publication(*, records, state, user=None):
    """Set the state of several records; those that name each other go in a working order.

    Returns the records changed and, for each refused one, the reasons.
    """
    pending, changed = list(records), []
    while pending:
        refused = {}
        for record in pending:
            try:
                with transaction.atomic():
                    record_set_publication(record=record, state=state, user=user)
            except (ValidationError, PermissionDenied) as error:
                refused[record] = getattr(error, "messages", None) or [str(error)]
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


def citation_upsert(*, record, source, excerpt="", locator="", note=""):
    """Cite `record` with the document `source` describes, once.

    `source` holds the document's fields; the document is found by its title and URL (one
    Source however many records cite it) and brought up to date. The record cites it once,
    with the `locator`, `excerpt` and `note` given. Returns the citation and what happened
    to the source and to the citation.
    """
    source = dict(source)
    lookup = {"title": source.pop("title"), "url": source.pop("url", "")}
    document, source_outcome = record_upsert(model=Source, lookup=lookup, values=source)
    citation, outcome = record_upsert(
        model=Citation,
        lookup={Citation.target_field_for(record): record, "source": document},
        values={"excerpt": excerpt, "locator": locator, "note": note},
    )
    return citation, source_outcome, outcome


def stored_value(record, field):
    """A field's value as a proposed change keeps it in JSON: ids for related records."""
    if field.many_to_many:
        return sorted(obj.pk for obj in field.value_from_object(record))
    if field.is_relation:
        return getattr(record, field.attname)
    value = field.value_from_object(record)
    return None if value is None else field.value_to_string(record)


@transaction.atomic
def change_propose(*, record, changes, user, reason=""):
    """Keep an edit of a public record for review, leaving the record as the public sees it.

    `changes` maps field names to their new values as the record's fields hold them (model
    instances for foreign keys, lists of them for many-to-many). Returns the ProposedChange.
    """
    stored = {}
    draft = type(record)._default_manager.get(pk=record.pk)
    for name, value in changes.items():
        field = record._meta.get_field(name)
        if field.many_to_many:
            stored[name] = sorted(obj.pk for obj in value)
        else:
            setattr(draft, name, value)
            stored[name] = stored_value(draft, field)
    return ProposedChange.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        changes=stored,
        base_version=record.version,
        reason=reason,
        proposed_by=user,
    )


def change_apply_to(record, change):
    """Set a proposed change's values on `record` (not saved); returns its many-to-many."""
    many_to_many = {}
    for name, value in change.changes.items():
        field = record._meta.get_field(name)
        if field.many_to_many:
            many_to_many[name] = value
        elif field.is_relation:
            setattr(record, field.attname, value)
        else:
            setattr(record, name, None if value is None else field.to_python(value))
    return many_to_many


@transaction.atomic
def change_publish(*, change, user):
    """Write a proposed change to its record: a Reviewer's decision, with history."""
    if not change.is_pending:
        raise ValidationError(_("This change was already decided."))
    model = change.content_type.model_class()
    record = model._default_manager.select_for_update().get(pk=change.object_id)
    if not user.has_perm(record.publish_permission()):
        raise PermissionDenied(_("Only a Reviewer may publish a change."))
    if record.version != change.base_version:
        raise ValidationError(
            _(
                "The record was edited after this change was proposed (version %(then)s, now "
                "%(now)s). Reject it, and propose it again from the current version."
            )
            % {"then": change.base_version, "now": record.version}
        )
    many_to_many = change_apply_to(record, change)
    record.full_clean(exclude=list(many_to_many))
    record._change_reason = change.reason or _("Proposed change #%(id)s published.") % {
        "id": change.pk
    }
    record.save()
    for name, ids in many_to_many.items():
        getattr(record, name).set(ids)
    change.state = ProposedChangeState.PUBLISHED
    change.decided_by, change.decided_at = user, timezone.now()
    change.save()
    return record


def change_reject(*, change, user):
    if not change.is_pending:
        raise ValidationError(_("This change was already decided."))
    model = change.content_type.model_class()
    if not user.has_perm(model.publish_permission()):
        raise PermissionDenied(_("Only a Reviewer may reject a change."))
    change.state = ProposedChangeState.REJECTED
    change.decided_by, change.decided_at = user, timezone.now()
    change.save()
    return change
