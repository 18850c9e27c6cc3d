"""Shared by the importer tests: the fixture files and the generated bad files."""

from pathlib import Path

from policytracker.importers.base import InputFile

DATA = Path(__file__).parent / "data"


def data_file(name):
    return InputFile.from_path(DATA / name)


def table_snapshot(*models):
    """Every row of these models, to compare before and after a refused import."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
