"""Reads from a replica, writes to the primary, when DATABASE_REPLICA_URL is set.

Only anonymous readers' GET and HEAD requests read from the replica ("replica" in
DATABASES): they are what a breaking story multiplies, and a second's replication lag cannot
mislead them. Everything else reads from the primary ("default"): a request that writes
(POST and the rest), a signed-in reader or API client (so staff see what they just saved,
and a new session or token is never looked up in a copy that has not received it yet),
reads inside a transaction, and anything outside a request (management commands,
background jobs). Migrations run on the primary only.

When the replica cannot be reached, the request is served from the primary, and the replica
is not tried again for REPLICA_RETRY_SECONDS, so readers see the site rather than errors.
"""

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections, router

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The alias reads go to in this request (or thread): the primary unless the middleware
# chose the replica.
read_alias = ContextVar("read_alias", default=PRIMARY)
# When the replica last failed to answer (time.monotonic()), per process.
_replica_failed_at = None


def replica_configured():
    return REPLICA in settings.DATABASES and any(
        isinstance(each, PrimaryReplicaRouter) for each in router.routers
    )


def replica_usable():
    """Whether the replica answers, checked once per request: its connection is opened, or,
    when it persists from an earlier request (CONN_MAX_AGE), health-checked, as Django would
    do on the first query anyway. A failure is remembered for REPLICA_RETRY_SECONDS."""
    global _replica_failed_at
    if _replica_failed_at is not None:
        if time.monotonic() - _replica_failed_at < settings.REPLICA_RETRY_SECONDS:
            return False
        _replica_failed_at = None
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        logger.warning("The replica is unreachable: reading from the primary.", exc_info=True)
        _replica_failed_at = time.monotonic()
        connection.close()
        return False
    return True


def reads_from_replica(request):
    """Anonymous, safe requests: no session cookie (nobody signed in), no API token."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class ReplicaReadsMiddleware:
    """Choose, before anything reads, where this request's reads go."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        use_replica = replica_configured() and reads_from_replica(request) and replica_usable()
        token = read_alias.set(REPLICA if use_replica else PRIMARY)
        try:
            return self.get_response(request)
        finally:
            read_alias.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = read_alias.get()
        if alias == PRIMARY:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY  # a transaction reads what it has written
        return alias

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may point to the other.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
