from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "policytracker.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from policytracker.search import signals

        signals.connect()
