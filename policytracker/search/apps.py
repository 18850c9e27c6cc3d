from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "policytracker.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.backends.signals import connection_created

        from policytracker.search import backends, signals

        signals.connect()
        connection_created.connect(backends.tune_connection, dispatch_uid="search-tune-connection")
