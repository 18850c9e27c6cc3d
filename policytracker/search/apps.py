from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SearchConfig(AppConfig):
    name = "policytracker.search"
    label = "search"
    verbose_name = pgettext_lazy("the admin section", "Search")

    def ready(self):
        from django.db.backends.signals import connection_created

        from policytracker.search import backends, signals

        signals.connect()
        connection_created.connect(backends.tune_connection, dispatch_uid="search-tune-connection")
