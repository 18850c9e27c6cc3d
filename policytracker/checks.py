"""Django system checks of the project's own settings."""

from django.conf import settings
from django.core import checks

# Domains reserved for examples (RFC 2606): no mail sent to them arrives.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")


@checks.register(deploy=True)
def check_corrections_contact(app_configs, **kwargs):
    """A deployed site does not tell readers to write to an address no one reads (one copied
    from .env.example). With neither setting, the site's own form at /corrections/ is the
    route, and staff read what comes in the admin."""
    if settings.CORRECTIONS_URL or not settings.CORRECTIONS_EMAIL:
        return []
    domain = settings.CORRECTIONS_EMAIL.rpartition("@")[2].lower()
    if not any(domain == example or domain.endswith(f".{example}") for example in EXAMPLE_DOMAINS):
        return []
    return [
        checks.Warning(
            f"Readers are told to send corrections to {settings.CORRECTIONS_EMAIL!r}, "
            "which no one reads.",
            hint="Set CORRECTIONS_EMAIL to a real address, or unset it to use the site's form.",
            id="policytracker.W001",
        )
    ]
