from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyTrackerConfig(AppConfig):
    name = "policytracker"
    verbose_name = _("Sources")
