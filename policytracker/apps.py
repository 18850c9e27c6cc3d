from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PolicyTrackerConfig(AppConfig):
    name = "policytracker"
    verbose_name = _("Sources")

    def ready(self):
        from policytracker import checks  # noqa: F401  (registers the project's checks)

        # After every migrate: the content version's trigger on every public table,
        # those of models added since and of tables SQLite rebuilt included.
        post_migrate.connect(install_content_triggers, sender=self)


def install_content_triggers(using, **kwargs):
    from policytracker.content_version import install_triggers

    install_triggers(using)
