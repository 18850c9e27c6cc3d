"""Parts of the API's payloads that several test modules expect."""

from django.urls import reverse
from django.utils import timezone

from policytracker.models import Source
from policytracker.permalinks import revisions_of


def revision_payload(record):
    """The `revision` of a record's API detail: its newest published revision."""
    revision = revisions_of(type(record)).filter(id=record.pk).first()
    detail = reverse(f"api:{record._meta.model_name}-detail", kwargs=api_lookup(record))
    return {
        "number": revision.history_id,
        "published_at": timezone.localtime(revision.history_date).isoformat(),
        "withdrawn": False,
        "current": True,
        "html_url": f"http://testserver{record.get_absolute_url()}?revision={revision.history_id}",
        "url": f"http://testserver{detail}?revision={revision.history_id}",
    }


def api_lookup(record):
    return {"pk": record.pk} if isinstance(record, Source) else {"slug": record.slug}
