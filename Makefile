# The table of contents of what one can do with the project.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local runs and tests are development runs; production sets DEBUG=false and SECRET_KEY.
export DEBUG ?= true

.PHONY: run worker test screenshots lint format migrate demo superuser messages catalogue bench bench-search bench-site bench-import bench-faults map-shapes clean fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python manage.py compile_catalogue
	touch $@

# The compiled message catalogues (.mo, not committed), rebuilt when their .po is newer.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/*.po)
COMPILED := $(CATALOGUES:.po=.mo)

$(COMPILED): %.mo: %.po | $(VENV)/.installed
	$(BIN)/python manage.py compile_catalogue

## catalogue: compile the message catalogues that are newer than their .mo (in Python)
catalogue: $(COMPILED)

## messages: extract the interface's strings into locale/es/LC_MESSAGES/django.po (needs GNU gettext)
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l es

## run: install, migrate, load the demo data and serve at http://127.0.0.1:$(PORT)/
run: $(VENV)/.installed $(COMPILED) migrate demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## worker: run background jobs (admin imports, the search index's rebuild, bulk exports) as they
## are queued; `make run` works without it, and the jobs wait. With REDIS_URL set, an RQ worker.
worker: $(VENV)/.installed migrate
	@if [ -n "$$REDIS_URL" ] && [ "$$TASKS_BACKEND" != database ]; then \
		$(BIN)/python manage.py rqworker default; \
	else \
		$(BIN)/python manage.py db_worker; \
	fi

## test: install and run every test, one worker per core (DATABASE_URL picks the database;
## SQLite if unset; TEST_WORKERS=0 runs them in this one process)
TEST_WORKERS ?= auto
test: $(VENV)/.installed $(COMPILED)
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS)

## screenshots: the main pages, as the browser tests see them, saved as PNGs in docs/screenshots/
## (needs Debian's chromium)
screenshots: $(VENV)/.installed
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots REQUIRE_BROWSER=1 $(BIN)/python -m pytest \
		--numprocesses 0 -q -p no:cacheprovider tests/browser/test_paths.py

## lint: ruff check and format check, Django's checks, no missing migration
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## fuzz: Schemathesis against the API's OpenAPI schema on a live server with the demo data, anonymous
## and with a token, a few minutes (a fresh database: SQLite, or beside DATABASE_URL's; see .ci/fuzz.py)
fuzz: $(VENV)/.installed $(COMPILED)
	$(BIN)/python .ci/fuzz.py

## bench: SQL queries of every public page and API endpoint, at 10 and 1,000 rows (must not grow)
bench: $(VENV)/.installed
	$(BIN)/python bench/query_counts.py --sizes 10 1000

## bench-search: search req/s and p50/p95/p99 beside a bare view, 1,000 and 100,000 records (needs wrk)
bench-search: $(VENV)/.installed
	$(BIN)/python bench/search_load.py --records 1000 100000

## bench-site: every kind of page and API endpoint under load at 100,000 records, beside a bare
## view and Datasette serving a SQLite copy; ratios and targets (needs wrk; see bench/site_load.py)
bench-site: $(VENV)/.installed
	$(BIN)/python bench/site_load.py --records 100000

## bench-import: time importing all OCD divisions, FBI agencies and ICE's May sheet (three times) into
## a fresh PostgreSQL database, and count the records and sources left
bench-import: $(VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pt_importers} $(BIN)/python bench/import_timing.py

## bench-faults: PostgreSQL restarted, the disk full, workers killed, the replica or primary lost,
## each under load on a throwaway cluster (needs root and PostgreSQL 15's binaries)
bench-faults: $(VENV)/.installed
	$(BIN)/python bench/faults.py all

## map-shapes: rewrite the map's boundary files from an unpacked us-atlas 3.0.1 package
## (US_ATLAS=/tmp/us-atlas/package; see policytracker/maps/data/README.md)
US_ATLAS ?= /tmp/us-atlas/package
map-shapes: $(VENV)/.installed
	$(BIN)/python -m policytracker.maps.build_shapes $(US_ATLAS)

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input

demo: $(VENV)/.installed
	$(BIN)/python manage.py load_demo

superuser: $(VENV)/.installed
	$(BIN)/python manage.py createsuperuser

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache
