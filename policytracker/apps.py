from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyTrackerConfig(AppConfig):
    name = "policytracker"
    verbose_name = _("Sources")

    def ready(self):
        from policytracker import checks  # noqa: F401  (registers the project's checks)
