"""Django system checks of the project's own settings."""

from django.conf import settings
from django.core import checks

# Domains reserved for examples (RFC 2606): no mail sent to them arrives.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")


@checks.register(deploy=True)
def check_corrections_contact(app_configs, **kwargs):
    """A deployed site tells readers where to send corrections: a real address."""
    if settings.CORRECTIONS_URL:
        return []
    domain = settings.CORRECTIONS_EMAIL.rpartition("@")[2].lower()
    if domain and not any(
        domain == example or domain.endswith(f".{example}") for example in EXAMPLE_DOMAINS
    ):
        return []
    return [
        checks.Warning(
            f"Readers are told to send corrections to {settings.CORRECTIONS_EMAIL!r}, "
            "which no one reads.",
            hint="Set CORRECTIONS_URL (an issue tracker or a form) or CORRECTIONS_EMAIL.",
            id="policytracker.W001",
        )
    ]
