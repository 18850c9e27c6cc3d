"""A search's costly answers, kept for whoever asks the same thing until the index changes.

On a large index most of a search's time goes into counting and ranking every match of a
common word, not into the page. So a search's count, facets and pages of ranked ids with
their snippets are cached, under a key made of the index version's token (which a database
trigger changes with every write to the index, see `models.IndexVersion`), the drafts the
visitor may see, and the search's words and filters. A cached answer is therefore never one
the index has changed since; reading the token costs one small query per search.
"""

import hashlib
import json
import logging
import uuid

from django.conf import settings
from django.core.cache import cache

from policytracker.search.models import IndexVersion

MISSING = object()
logger = logging.getLogger(__name__)


def current_token(using):
    """The index's version; a database emptied by `flush` gets a new one."""
    versions = IndexVersion.objects.using(using)
    token = versions.values_list("token", flat=True).first()
    if token is None:
        token = versions.create(token=uuid.uuid4().hex).token
    return token


class SearchCache:
    """Values computed for one search, each under its name (get_or_compute)."""

    def __init__(self, using, *identity):
        self.timeout = settings.SEARCH_CACHE_SECONDS
        self.token = current_token(using) if self.timeout > 0 else None
        described = json.dumps([using, *identity], sort_keys=True, default=str)
        self.prefix = f"search:{self.token}:{hashlib.sha256(described.encode()).hexdigest()}"

    def get_or_compute(self, name, compute):
        if self.token is None:  # the cache is off
            return compute()
        key = f"{self.prefix}:{name}"
        try:
            value = cache.get(key, MISSING)
        except Exception:  # a shared cache that is down costs speed, never an answer
            logger.exception("The search cache could not be read")
            return compute()
        if value is MISSING:
            value = compute()
            try:
                cache.set(key, value, self.timeout)
            except Exception:
                logger.exception("The search cache could not be written")
        return value
