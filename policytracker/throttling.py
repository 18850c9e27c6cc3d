"""How many requests the API answers each client, and the 429 it gives past that.

Rates come from the settings API_ANON_RATE and API_USER_RATE (DRF's
DEFAULT_THROTTLE_RATES), read at each request rather than once at import as DRF's own
classes do, so that a changed setting (a test's) takes effect. A client past its limit gets
a 429 whose JSON names the limit and when to try again, with a Retry-After header.
"""

from django.conf import settings
from django.utils.translation import gettext, ngettext
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class RateFromSettings:
    """A DRF rate throttle whose rate is looked up when it is used, and which leaves on the
    request the rate it refused it under (for the 429's body)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if not allowed:
            request.throttle_refusal = (self.scope, self.num_requests, self.duration)
        return allowed


class AnonThrottle(RateFromSettings, AnonRateThrottle):
    """Anonymous clients, counted by address."""


class UserThrottle(RateFromSettings, UserRateThrottle):
    """Signed-in users (by token or session), counted by user. Anonymous clients are the
    anonymous throttle's alone (DRF's own would count them here too, by address)."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


def limit_text(scope, num_requests, duration):
    periods = {1: gettext("second"), 60: gettext("minute"), 3600: gettext("hour")}
    periods[86400] = gettext("day")
    period = periods.get(duration) or gettext("%(seconds)d seconds") % {"seconds": duration}
    if scope == "anon":
        return ngettext(
            "%(count)d request a %(period)s from one address without signing in",
            "%(count)d requests a %(period)s from one address without signing in",
            num_requests,
        ) % {"count": num_requests, "period": period}
    return ngettext(
        "%(count)d request a %(period)s for one user",
        "%(count)d requests a %(period)s for one user",
        num_requests,
    ) % {"count": num_requests, "period": period}


def exception_handler(exc, context):
    """DRF's, with a 429 that says which limit was reached and when to try again."""
    # Imported here: rest_framework.views reads DEFAULT_THROTTLE_CLASSES, from this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    refusal = getattr(context.get("request"), "throttle_refusal", None)
    if isinstance(exc, exceptions.Throttled) and response is not None and refusal:
        scope, num_requests, duration = refusal
        wait = max(1, round(exc.wait or 1))
        response.data = {
            "detail": gettext(
                "Too many requests: the limit is %(limit)s. Try again in %(seconds)d s."
            )
            % {"limit": limit_text(scope, num_requests, duration), "seconds": wait},
            "limit": {
                "requests": num_requests,
                "per_seconds": duration,
                "applies_to": "address" if scope == "anon" else "user",
            },
            "retry_after": wait,
        }
        response["Retry-After"] = str(wait)
    return response


def client_address(request):
    """The client's address as the throttles see it: behind a TLS proxy (BEHIND_TLS_PROXY),
    the last address in X-Forwarded-For, the one the proxy itself saw; REMOTE_ADDR
    otherwise. django-axes counts login failures by this address too."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_TLS_PROXY and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
