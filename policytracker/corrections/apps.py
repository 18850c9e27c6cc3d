from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "policytracker.corrections"
    label = "corrections"
    verbose_name = "Corrections"
