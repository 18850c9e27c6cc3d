"""The sources a visitor may see, and the citations of them by records the visitor may see.

A source is visible when a record the visitor may open in a list cites it: a published record
for the public, drafts too for staff who may view that record type (`visible_to`).
"""

import functools
import operator

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from policytracker.models import CITATION_TARGETS, CITING_MODELS, Citation, Source

# The field each record type is named by: a source's citing records are listed by name.
NAME_FIELDS = {
    "jurisdiction": "name",
    "agency": "name",
    "ordinance": "title",
    "agreement": "title",
    "statement": "title",
}


def shows_drafts_to(user):
    """Whether `user` sees the drafts of some record type, so of the sources they cite."""
    return any(model.objects.shows_drafts_to(user) for model in CITING_MODELS.values())


def _count(citations, aggregate):
    return Coalesce(
        Subquery(citations.annotate(n=aggregate).values("n")), 0, output_field=IntegerField()
    )


def _citations_of_each(user):
    """The citations by records `user` may see of the source of the outer query."""
    return (
        Citation.objects.visible_to(user).filter(source=OuterRef("pk")).order_by().values("source")
    )


def with_citation_count(sources, user):
    """`sources`, each with `citation_count`: its citations by records `user` may see (as
    they are, if they have it already)."""
    if "citation_count" in sources.query.annotations:
        return sources
    return sources.annotate(citation_count=_count(_citations_of_each(user), Count("pk")))


def visible_sources(user):
    """The sources `user` may see, each with `citation_count` (its citations by records
    `user` may see) and `record_count` (how many such records cite it); without the text
    read from their documents, which may be long."""
    # Count ignores NULLs: each foreign key counts the records of its own type.
    records = functools.reduce(
        operator.add, [Count(field, distinct=True) for field in CITATION_TARGETS]
    )
    sources = Source.objects.cited_by_visible(user).defer("document_text")
    return with_citation_count(sources, user).annotate(
        record_count=_count(_citations_of_each(user), records)
    )


def citation_counts(source, user):
    """{record type's field: how many of its citations of `source` `user` may see}: one query."""
    return (
        Citation.objects.visible_to(user)
        .filter(source=source)
        .aggregate(
            **{
                field: Count("pk", filter=Q(**{f"{field}__isnull": False}))
                for field in CITATION_TARGETS
            }
        )
    )


def citations_by_type(citations, field):
    """Of `citations`, those by records of one type, with the record, by the record's name."""
    return (
        citations.filter(**{f"{field}__isnull": False})
        .select_related(field)
        .order_by(f"{field}__{NAME_FIELDS[field]}", "pk")
    )
