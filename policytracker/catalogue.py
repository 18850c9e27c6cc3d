"""The message catalogues: compiled from the committed .po files by the project itself.

Django reads compiled catalogues (.mo), which are built, not committed: `manage.py
compile_catalogue` writes each one beside its .po when the .po is newer (`make run`,
`make test` and the test suite's start run it). It compiles with polib, in Python, so a
machine needs no GNU gettext to run the site; only `makemessages`, which extracts the
strings from the source, does.
"""

import os
from pathlib import Path

import polib
from django.conf import settings

# What makemessages leaves out: the virtualenv, tests, benchmarks and generated files.
MAKEMESSAGES_IGNORED = (".venv/*", "tests/*", "bench/*", "staticfiles/*", "media/*", "build/*")


def catalogues():
    """Every .po file in the project's locale folders."""
    return sorted(
        path
        for folder in settings.LOCALE_PATHS
        for path in Path(folder).glob("*/LC_MESSAGES/*.po")
    )


def is_stale(po_path):
    mo_path = po_path.with_suffix(".mo")
    return not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime


def compile_catalogues(force=False):
    """Compile each .po whose .mo is missing or older (every one with `force`); return the
    .mo files written. Fuzzy and untranslated entries are left out, as msgfmt does."""
    written = []
    for po_path in catalogues():
        if force or is_stale(po_path):
            mo_path = po_path.with_suffix(".mo")
            # Written aside, then moved into place: test workers starting together never
            # read a half-written file.
            partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
            polib.pofile(str(po_path)).save_as_mofile(str(partial))
            os.replace(partial, mo_path)
            written.append(mo_path)
    return written
