"""Time importing all of ../shared/data/ocd/ and fbi-agencies/ into a fresh database, then
ICE's May 2025 287(g) sheet three times (as if republished on three days), and count what
the imports leave: records, sources and citations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pt_importers \
        .venv/bin/python bench/import_timing.py

Drops and re-creates the database named in DATABASE_URL (PostgreSQL only), migrates it,
then runs import_ocd and import_fbi_agencies (with --skip-invalid: the FBI list names
agencies in Guam and the Virgin Islands, which the OCD files do not have), search
indexing included, then import_287g with --listed-on 2025-05-16, 05-19 and 05-21, and prints
each step's wall-clock time and the row counts. Then it publishes the imported 287(g)
agreements with the agencies and places they name, and then every place, each in one bulk
step as a Reviewer would from the admin, and prints how long each took.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def run(*args):
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)
    return time.perf_counter() - started


def main():
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database; it is dropped and re-created.")
    name = parsed.path.lstrip("/")
    admin = ["psql", "-h", parsed.hostname or "127.0.0.1", "-U", parsed.username or "postgres"]
    admin += ["-p", str(parsed.port or 5432), "-d", "postgres", "-q", "-c"]
    subprocess.run([*admin, f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run([*admin, f'CREATE DATABASE "{name}"'], check=True)
    run("migrate", "--no-input", "-v", "0")
    ocd = run(
        "import_ocd", str(DATA / "ocd" / "states.csv"), str(DATA / "ocd" / "us_census_places.csv")
    )
    fbi = run(
        "import_fbi_agencies",
        str(DATA / "fbi-agencies" / "fbi_lee_2025.csv"),
        "--skip-invalid",
        "--list",
        "5",
    )
    print(f"import_ocd: {ocd:.1f} s, import_fbi_agencies: {fbi:.1f} s, total {ocd + fbi:.1f} s")
    sheet = DATA / "ice-287g" / "participatingAgencies-2025-05-16.xlsx"
    for listed_on in ("2025-05-16", "2025-05-19", "2025-05-21"):
        seconds = run("import_287g", str(sheet), "--listed-on", listed_on, "--list", "5")
        print(f"import_287g --listed-on {listed_on}: {seconds:.1f} s")
    print(counts())
    print(manage_shell(PUBLISH))


COUNTS = """
from django.apps import apps
for label in ("jurisdictions.Jurisdiction", "jurisdictions.Agency", "agreements.Agreement",
              "policytracker.Source", "policytracker.Citation", "policytracker.ReviewFlag"):
    try:
        model = apps.get_model(label)
    except LookupError:
        continue
    print(f"{model._meta.verbose_name_plural}: {model.objects.count():,}")
"""


PUBLISH = """
import time
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from agreements.models import Agreement
from jurisdictions.models import Jurisdiction
from policytracker.publication import records_publish_with_named
reviewer, _ = get_user_model().objects.get_or_create(username="bench-reviewer", is_staff=True)
reviewer.groups.add(Group.objects.get(name="Reviewers"))
for model in (Agreement, Jurisdiction):
    started = time.perf_counter()
    ids = set(model.objects.values_list("pk", flat=True))
    published = records_publish_with_named({model: ids}, user=reviewer)
    seconds = time.perf_counter() - started
    print(f"publish every {model._meta.verbose_name} with what it names: {dict(published)} "
          f"in {seconds:.1f} s")
"""


def counts():
    return manage_shell(COUNTS)


def manage_shell(code):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


if __name__ == "__main__":
    main()
