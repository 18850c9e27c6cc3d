"""The page the admin's login answers with while django-axes has locked a user out."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """A 429 in the admin's own dress (in the page's language) that says the sign-in is
    locked and for how long. AXES_LOCKOUT_CALLABLE."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = admin.site.each_context(request) | {"cooloff_minutes": minutes}
    response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
