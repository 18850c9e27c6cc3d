"""Whole responses kept for anonymous readers, never once the data has changed.

An anonymous GET or HEAD of a page, an API endpoint or a feed is answered from the shared
cache (`CACHES`: Redis when REDIS_URL is set) under a key made of the content version's
token (`content_version.py`: a database trigger changes it with every write to what the
public reads), the scheme, host, full path with its query string, the language and the
Accept header. Reading the token is the one query of a cached answer; a write makes every
key before it unreachable, so a publish is seen on the very next request.

Each such response also carries validators: an ETag made of that same key, and a
Last-Modified of when this process first saw the token; with `Cache-Control: public,
max-age=0, must-revalidate` browsers and proxies keep it but ask each time, and an
If-None-Match or If-Modified-Since that still holds is answered 304 before any view runs.

Never cached: a request that carries a session, a messages cookie or an Authorization
header (staff and API users may see drafts; they are answered `private`), a response that
sets a cookie (a form's CSRF token), is not a 200, is streamed, is already `private` or
`no-store`, or comes from a view marked `page_cache_exempt`.

An API answer from the cache, or a 304, still counts against the API's throttles
(`throttling.py`): a client past its limit is not answered from the cache but passed on to
the view, whose throttle refuses it with the 429.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.settings import api_settings

from policytracker.content_version import current_token

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD")
# What an anonymous response may differ by besides its address: the language (pages carry
# it in their address, the API and feeds negotiate it) and the representation.
VARY = ("Accept", "Accept-Language", "Cookie")
REVALIDATE = {"public": True, "max_age": 0, "must_revalidate": True}
# How long a token's first sighting is kept: its Last-Modified.
SEEN_SECONDS = 24 * 60 * 60
clock = time.time  # the tests' to set


def page_cache_exempt(view):
    """A view whose responses are never cached nor validated here (a health check)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.page_cache_exempt = True
    return wrapped


def throttle_refuses(request, view_func):
    """Whether an API view's throttles would refuse this request now; counts it if not."""
    view_class = getattr(view_func, "cls", None)
    if view_class is None or not hasattr(view_class, "get_throttles"):
        return False  # not an API view
    if not any(api_settings.DEFAULT_THROTTLE_RATES.values()):
        return False  # every throttle is off
    view = view_class(**getattr(view_func, "initkwargs", {}))
    view.args, view.kwargs = (), {}
    view.action_map = getattr(view_func, "actions", None) or {}  # a viewset's
    api_request = view.initialize_request(request)
    return any(not throttle.allow_request(api_request, view) for throttle in view.get_throttles())


def is_anonymous(request):
    """Without a session, a message or credentials, a request is anonymous for certain,
    and knowing it costs no query."""
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or "authorization" in request.headers
    )


class CachedPage:
    """What one anonymous request's response is kept and validated under."""

    def __init__(self, request):
        self.token = current_token()
        described = "\n".join(
            [
                self.token,
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                getattr(request, "LANGUAGE_CODE", ""),
                request.headers.get("Accept", ""),
            ]
        )
        self.digest = hashlib.sha256(described.encode()).hexdigest()[:32]
        self.key = f"page:{self.digest}"
        self.seen_key = f"page-seen:{self.token}"

    def lookup(self):
        """The stored response, if any, and when this token was first seen (stored now if
        it never was): from this process's own copy when it has one, else one round trip
        to the shared cache, two when the token is new."""
        self.now = now = clock()
        kept = local_copy(self.key)
        if kept is not None:
            self.seen, stored = kept
            return stored
        found = cache.get_many([self.key, self.seen_key])
        self.seen = found.get(self.seen_key)
        if self.seen is None:
            cache.add(self.seen_key, now, SEEN_SECONDS)
            self.seen = cache.get(self.seen_key, now)
        stored = found.get(self.key)
        if stored is not None:
            keep_locally(self.key, (self.seen, stored))
        return stored

    @property
    def last_modified(self):
        """The second the token was first seen, once that second is over. A later write is
        first seen after this response was sent, so in a later second: an If-Modified-Since
        of this value can never hide it. Before then, the ETag alone validates."""
        second = int(self.seen)
        return second if int(self.now) > second else None

    def etag_matches(self, request):
        """Whether an If-None-Match names this response: its ETag, or one made of a view's
        own ETag and this digest (see `add_validators`)."""
        header = request.headers.get("If-None-Match")
        if header is None:
            return None
        for tag in header.split(","):
            tag = tag.strip().removeprefix("W/").strip('"')
            if tag.rpartition(".")[2] == self.digest:  # not "*": the URL may not exist
                return tag
        return False

    def not_modified(self, request):
        """A 304 when the request's validators still hold, else None."""
        tag = self.etag_matches(request)
        if tag is False:
            return None
        if tag is None:  # If-Modified-Since counts only without If-None-Match
            since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
            if since is None or self.last_modified is None or since < self.last_modified:
                return None
            tag = self.digest
        response = HttpResponseNotModified()
        response["ETag"] = f'"{tag}"'
        self.add_freshness(response)
        return response

    def add_freshness(self, response):
        """Last-Modified is this one only (a feed's own, its newest item's date, would not
        change when an item is withdrawn), and Cache-Control asks to revalidate."""
        if self.last_modified is None:
            del response["Last-Modified"]
        else:
            response["Last-Modified"] = http_date(self.last_modified)
        patch_cache_control(response, **REVALIDATE)
        patch_vary_headers(response, VARY)

    def add_validators(self, response):
        """The ETag, Last-Modified and Cache-Control of a shareable response. A view's own
        ETag (an API record's version, which If-Match names) is kept in front of the digest:
        `policytracker.api.if_match_versions` reads the version before the dot."""
        own = response.headers.get("ETag", "").removeprefix("W/").strip('"')
        response["ETag"] = f'"{own}.{self.digest}"' if own else f'"{self.digest}"'
        self.add_freshness(response)

    def store(self, response):
        headers = [(name, value) for name, value in response.items()]
        stored = (response.status_code, headers, response.content)
        cache.set(self.key, stored, seconds())
        keep_locally(self.key, (self.seen, stored))

    @staticmethod
    def rebuild(stored):
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response


def local_cache():
    """This process's own copies of what the shared cache holds (the `local` cache, set
    beside Redis), or None. Their keys carry the content version's token too, so a copy is
    never read once the data has changed; it only saves the round trip to Redis."""
    return caches["local"] if "local" in settings.CACHES else None


def local_copy(key):
    local = local_cache()
    return None if local is None else local.get(key)


def keep_locally(key, value):
    local = local_cache()
    if local is not None:
        local.set(key, value, seconds())


def seconds():
    return settings.PAGE_CACHE_SECONDS


def is_shareable(request, response):
    """Whether a response to an anonymous request is the same for every anonymous reader."""
    cache_control = response.headers.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "*" not in response.headers.get("Vary", "")
    )


class PageCacheMiddleware:
    """After the language and authentication middleware, so that a request's language is
    known; it decides anonymity from the request alone (`is_anonymous`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, "cached_page", None)
        if page is None:
            if request.method in SAFE_METHODS and not is_anonymous(request):
                # Drafts may be in it: no shared cache keeps it.
                patch_cache_control(response, private=True)
            return response
        if getattr(response, "from_page_cache", False) or response.status_code == 304:
            return response
        if is_shareable(request, response):
            page.add_validators(response)
            if request.method == "GET" and not response.streaming:
                try:
                    page.store(response)
                except Exception:  # a cache that is down costs speed, never an answer
                    logger.exception("The page cache could not store %s", request.path)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            seconds() <= 0
            or request.method not in SAFE_METHODS
            or getattr(view_func, "page_cache_exempt", False)
            or not is_anonymous(request)
        ):
            return None
        page = CachedPage(request)
        try:
            stored = page.lookup()
        except Exception:
            logger.exception("The page cache could not be read for %s", request.path)
            return None
        request.cached_page = page
        not_modified = page.not_modified(request)
        if not_modified is None and stored is None:
            return None  # the view answers, and its throttles count the request
        if throttle_refuses(request, view_func):
            return None
        if not_modified is not None:
            return not_modified
        response = page.rebuild(stored)
        page.add_freshness(response)
        response.from_page_cache = True
        return response
