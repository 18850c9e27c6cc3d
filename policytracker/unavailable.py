"""A clear 503 with Retry-After when the database cannot be reached or the disk is full.

Those failures pass on their own (PostgreSQL restarts, space is freed): a reader told
"try again in a moment" and a proxy or client told when (Retry-After) is better served than
by the generic 500 page. Views' failures are caught by the middleware, those raised in other
middleware by `server_error` (the site's handler500), which reads the exception being
handled. Other errors stay 500s.
"""

import errno
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# Errors from the storage that say "no room", not "this file is wrong".
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def is_transient(exception):
    """A database that cannot be reached (or dropped the connection), or a full disk."""
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    return isinstance(exception, OSError) and exception.errno in DISK_FULL_ERRNOS


def unavailable_response(request, exception):
    # One line each (django.request logs the 503 too): an outage answers many requests.
    logger.warning("Answered 503 to %s %s: %r", request.method, request.path, exception)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The service is briefly unavailable. Please try again shortly.")},
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class ServiceUnavailableMiddleware:
    """Turn a view's database-unreachable or disk-full error into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_transient(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request, template_name="500.html"):
    """The site's handler500: a 503 when what failed was transient, Django's 500 otherwise."""
    exception = sys.exc_info()[1]
    if exception is not None and is_transient(exception):
        return unavailable_response(request, exception)
    return django_server_error(request, template_name)
