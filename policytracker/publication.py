"""Publishing many records at once, with the records they name: an import as a whole.

One record at a time (`services.record_set_publication`) checks and saves each, and refuses
an agreement whose agency is still a draft. An import writes thousands of drafts that name
each other, so here the records are published together with every draft they name (an
agreement's agencies, an agency's place, a place's county and state…), in a few bulk
statements per thousand records, with a history row for each and their search entries
rewritten. All or nothing: if one of them cites no source, none is published.
"""

from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from policytracker.history import changed_between, concrete_values
from policytracker.models import Citation, PublicationState, PublicRecord

# Records read or written per statement (within SQLite's limit on parameters).
BATCH_SIZE = 500
# How many records without a source the refusal names.
NAMED = 5


def chunked(ids, size=BATCH_SIZE):
    ids = sorted(ids)
    return (ids[start : start + size] for start in range(0, len(ids), size))


def not_public():
    return [
        state for state in PublicationState.values if state not in PublicationState.public_values()
    ]


def with_named_drafts(ids_by_model):
    """`{model: ids}` and every draft (or record in review) they name, at any remove:
    `{model: ids}` of all the records that must be published for these to be."""
    from jurisdictions.models import Containment, Jurisdiction

    drafts = not_public()
    found = defaultdict(set)
    pending = {model: set(ids) for model, ids in ids_by_model.items() if ids}
    while pending:
        named = defaultdict(set)
        for model, ids in pending.items():
            new = ids - found[model]
            found[model] |= new
            for chunk in chunked(new):
                if model is Jurisdiction:  # every place above, in one lookup
                    named[Jurisdiction].update(
                        Containment.objects.filter(
                            place__in=chunk, depth__gt=0, within__publication_state__in=drafts
                        ).values_list("within_id", flat=True)
                    )
                    continue
                for field in named_records(model):
                    named[field.related_model].update(
                        model._default_manager.filter(
                            pk__in=chunk, **{f"{field.name}__publication_state__in": drafts}
                        ).values_list(field.attname, flat=True)
                    )
        pending = {model: ids - found[model] for model, ids in named.items() if ids - found[model]}
    return {model: ids for model, ids in found.items() if ids}


def named_records(model):
    """The foreign keys by which a record of `model` names another public record type."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and issubclass(field.related_model, PublicRecord)
    ]


def uncited(model, ids):
    """The records among `ids` that cite no source."""
    target = f"{Citation.target_field_for(model)}_id"
    missing = set()
    for chunk in chunked(ids):
        cited = set(
            Citation.objects.filter(**{f"{target}__in": chunk}).values_list(target, flat=True)
        )
        missing.update(set(chunk) - cited)
    return missing


def may_publish_every_type(user):
    """Whether `user` may publish records of every type (a Reviewer): what publishing an
    import, which names places, agencies and agreements at once, needs."""
    from policytracker.models import CITING_MODELS

    return user.has_perms([model.publish_permission() for model in CITING_MODELS.values()])


def check_may_publish(user, models):
    if user is None:
        return
    refused = [model for model in models if not user.has_perm(model.publish_permission())]
    if refused:
        raise PermissionDenied(
            _("Only a Reviewer may publish these: %(types)s.")
            % {"types": ", ".join(str(model._meta.verbose_name_plural) for model in refused)}
        )


@transaction.atomic
def records_publish_with_named(ids_by_model, *, user=None, reason=""):
    """Publish the records `{model: ids}` and every draft they name, in bulk.

    Records already public (published or withdrawn) are left as they are. Returns a Counter
    of the records published by type (verbose plural name). Raises PermissionDenied unless
    `user` (None for code) may publish every type involved, and ValidationError, naming
    them, if any of them cites no source; then nothing is published.
    """
    from policytracker.search.indexing import index_publication

    drafts = not_public()
    to_publish = {
        model: {
            pk
            for chunk in chunked(ids)
            for pk in model._default_manager.filter(
                pk__in=chunk, publication_state__in=drafts
            ).values_list("pk", flat=True)
        }
        for model, ids in with_named_drafts(ids_by_model).items()
    }
    to_publish = {model: ids for model, ids in to_publish.items() if ids}
    check_may_publish(user, to_publish)
    missing = {model: uncited(model, ids) for model, ids in to_publish.items()}
    missing = {model: ids for model, ids in missing.items() if ids}
    if missing:
        raise ValidationError(uncited_message(missing))
    reason = (reason or _("Published in bulk with the records that name it"))[:100]
    now, published = timezone.now(), Counter()
    for model, ids in to_publish.items():
        for chunk in chunked(ids):
            model._default_manager.filter(pk__in=chunk).update(
                publication_state=PublicationState.PUBLISHED,
                updated_at=now,
                version=F("version") + 1,
            )
            records = list(model._default_manager.filter(pk__in=chunk))
            write_revisions(model, records, user, reason, now)
        published[str(model._meta.verbose_name_plural)] += len(ids)
    index_publication(to_publish, now)
    return published


def write_revisions(model, records, user, reason, when):
    """A history row for each record, noting what changed since its last public revision
    (all of it, "*", for a first publication), as a single save's signal handler would."""
    history = get_history_manager_for_model(model)

    def values(row):
        return concrete_values(row, model)

    last_public = {
        row.id: row
        for row in history.filter(
            id__in=[record.pk for record in records],
            publication_state__in=PublicationState.public_values(),
        ).order_by("id", "history_date", "history_id")
    }
    by_changes = defaultdict(list)
    for record in records:
        previous = last_public.get(record.pk)
        changed = ["*"]
        if previous is not None:
            changed = changed_between(previous, record, values)
        by_changes[tuple(changed)].append(record)
    for changed, group in by_changes.items():
        history.bulk_history_create(
            group,
            update=True,
            default_user=user,
            default_change_reason=reason,
            default_date=when,
            custom_historical_attrs={"changed_fields": list(changed)},
        )


def uncited_message(missing):
    """Nothing was published: which records cite no source, a few of each type by name."""
    parts = []
    for model, ids in missing.items():
        names = [
            str(record) for record in model._default_manager.filter(pk__in=sorted(ids)[:NAMED])
        ]
        more = len(ids) - len(names)
        part = f"{len(ids)} {model._meta.verbose_name_plural} ({'; '.join(names)}"
        parts.append(part + (_(" and %(count)d more)") % {"count": more} if more else ")"))
    return _(
        "Nothing was published: a public record cites at least one source, and these cite "
        "none: %(records)s. Cite a source from each, or leave them out."
    ) % {"records": ", ".join(parts)}
