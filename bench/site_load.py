"""The site under load, side by side with a bare view and with Datasette, in one run.

Run by hand, never in the test suite (`make bench-site`). It

1. keeps a PostgreSQL database of synthetic records, `pt_bench_100k` for 100,000 records
   (`manage.py generate_synthetic --records N --seed S`, on 127.0.0.1:5432 as user
   postgres), and reuses it on the next run: the database's comment records the command
   that filled it, set only once that command has finished. `--rebuild` builds it afresh;
   `migrate` runs every time, so new migrations apply to a kept database;
2. keeps a SQLite copy of the same records for Datasette in the cache folder
   (`~/.cache/policytracker-bench`, or $BENCH_CACHE_DIR): the site's schema (`migrate`
   against a SQLite file) with every table's rows copied out of PostgreSQL. On SQLite the
   site's search keeps its index in FTS5 (`search_searchentry_fts` over the search
   entries' title, keywords and body, with the Porter stemmer), filled by triggers as the
   entries are copied; Datasette's full-text search is pointed at it. A small JSON file
   beside the copy says it is complete;
3. installs Datasette into a virtual environment of its own in the cache folder (never
   into the project's: Datasette is the peer measured, not a dependency);
4. serves the site with gunicorn on 127.0.0.1 with production settings: DEBUG off, a
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, static files collected into a temporary folder,
   `--workers` sync workers (2 x cores + 1 by default, gunicorn's own advice), the shared
   cache at REDIS_URL (redis://127.0.0.1:6379/6 by default, emptied first so every run
   starts cold and warms the same way) and anonymous API throttling off
   (API_ANON_RATE=off), so that the load generator, one client sending thousands of
   requests a second, measures the site rather than its throttle. `--env NAME=VALUE`
   adds or overrides any setting;
5. serves the SQLite copy with `datasette serve --immutable` on another port, with
   Datasette's default settings but facet suggestions off (DATASETTE_SETTINGS), as a
   newsroom would run it;
6. for each endpoint, checks that every URL answers 200, warms up for `--warm-up`
   seconds, then runs wrk for `--duration` seconds with `--connections` connections
   (bench/round_robin.lua, which requests a list of paths in turn), and waits until the
   server has finished what wrk left queued before the next endpoint;
7. prints a Markdown table: req/s, p50/p95/p99 latency, non-2xx responses, the ratio to
   the ceiling (/healthz, a Django view that returns a constant string, in the same
   server), the ratio to Datasette's equivalent, and PASS or MISS for each target:
   - every anonymous page and API list at least 50% of the ceiling's req/s;
   - the API list and search at least as many req/s as Datasette's equivalents;
   - p99 under 250 ms;
   with the machine's size (cores, memory), the date and the load average at the start.
   It saves the same as JSON and Markdown in bench/results/ (not committed).

    .venv/bin/python bench/site_load.py                       # 100,000 records
    .venv/bin/python bench/site_load.py --records 1000 --duration 5
    .venv/bin/python bench/site_load.py --only healthz api-list datasette-json
    .venv/bin/python bench/site_load.py --rebuild             # rebuild both databases
    make bench-site

Needs wrk (Debian: `apt-get install -y wrk`), a PostgreSQL server on 127.0.0.1:5432 that
lets user postgres in without a password, and, for the cache, Redis on 127.0.0.1:6379.
All traffic goes to 127.0.0.1. Latency is wrk's, from a closed loop of --connections
clients: a server that slows down receives fewer requests, so read p99 beside req/s.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, suppress
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from search_load import (
    BIN,
    PG_SERVER,
    QUERY_VALUES_SCRIPT,
    Gunicorn,
    free_port,
    get,
    production_env,
    run,
    search_paths,
    wrk,
)

CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR", Path.home() / ".cache" / "policytracker-bench"))
RESULTS_DIR = Path(__file__).resolve().parent / "results"
DATASETTE_REQUIREMENTS = ["datasette>=0.65,<0.66"]
# Datasette's defaults but one: on every table page and JSON it would otherwise try each
# column as a facet to suggest one (up to 50 ms each), which made a 50-row page take 2 s.
DATASETTE_SETTINGS = {"suggest_facets": "off"}
# The targets.
CEILING_SHARE = 0.5
P99_LIMIT_MS = 250
# Page sizes, so that Datasette returns as many rows as the page it stands beside.
LIST_PAGE_SIZE = 25  # FilteredListView.paginate_by
API_PAGE_SIZE = 50  # REST_FRAMEWORK["PAGE_SIZE"]
SEARCH_PAGE_SIZE = 20  # search.views.RESULTS_PER_PAGE
PEER_TABLE = "agreements_agreement"
SEARCH_TABLE = "search_searchentry"

# The records the URLs name, read from the PostgreSQL database.
RECORD_VALUES_SCRIPT = """
import json
from django.db.models import Count
from agreements.models import Agreement
from jurisdictions.models import Jurisdiction
county = (
    Jurisdiction.objects.filter(kind="county")
    .annotate(n=Count("agencies__local_agreements"), m=Count("ordinances", distinct=True))
    .order_by("-n", "-m", "slug").first()
)
agreement = (
    Agreement.objects.filter(local_party__jurisdiction=county).order_by("slug").first()
)
print("RECORDS " + json.dumps({"county": county.slug, "agreement": agreement.slug}))
"""


def database_name(records):
    """pt_bench_100k for 100,000 records, pt_bench_1500 for 1,500."""
    return f"pt_bench_{records // 1000}k" if records % 1000 == 0 else f"pt_bench_{records}"


def filled_by(records, seed):
    """What a database's marker says once `generate_synthetic` has filled it."""
    return f"generate_synthetic --records {records} --seed {seed}"


def manage(env, *arguments, what=None):
    return run([str(BIN / "python"), "manage.py", *arguments], env, what or arguments[0])


def generate(env, records, seed):
    started = time.perf_counter()
    output = manage(env, "generate_synthetic", f"--records={records}", f"--seed={seed}")
    print(output.strip())
    print(f"generate_synthetic took {time.perf_counter() - started:.0f} s", flush=True)


class Postgres:
    """The kept PostgreSQL database: reused when its comment says it holds these records."""

    def __init__(self, records, seed):
        import psycopg2  # the project's own driver, installed with it

        self.psycopg2 = psycopg2
        self.name = database_name(records)
        self.url = f"{PG_SERVER}/{self.name}"
        self.marker = filled_by(records, seed)

    def query(self, sql, params=()):
        connection = self.psycopg2.connect(f"{PG_SERVER}/postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def comment(self):
        rows = self.query(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [self.name],
        )
        return rows[0][0] if rows else None

    def ensure(self, env, records, seed, rebuild):
        """Build the database unless it is there and complete; whether it was built."""
        if not rebuild and self.comment() == self.marker:
            print(f"PostgreSQL: reusing {self.name} ({self.marker}).")
            manage(env, "migrate", "--no-input", "-v0")
            return False
        print(f"PostgreSQL: building {self.name} ({self.marker}).", flush=True)
        self.query(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        self.query(f"CREATE DATABASE {self.name}")
        manage(env, "migrate", "--no-input", "-v0")
        generate(env, records, seed)
        # Only now: a build that stopped half-way is built again next time.
        self.query(f"COMMENT ON DATABASE {self.name} IS %s", [self.marker])
        return True


class SqliteCopy:
    """The same records in a SQLite file for Datasette, copied out of PostgreSQL."""

    def __init__(self, postgres):
        self.postgres = postgres
        self.path = CACHE_DIR / f"{postgres.name}.sqlite3"
        self.marker_path = self.path.with_suffix(".json")
        self.marker = {"copied_from": postgres.name, "filled_by": postgres.marker}

    def complete(self):
        try:
            return self.path.exists() and json.loads(self.marker_path.read_text()) == self.marker
        except (OSError, ValueError):
            return False

    def ensure(self, env, rebuild):
        if not rebuild and self.complete():
            print(f"SQLite copy: reusing {self.path}.")
            return
        print(f"SQLite copy: copying {self.postgres.name} into {self.path}.", flush=True)
        started = time.perf_counter()
        self.marker_path.unlink(missing_ok=True)
        building = self.path.with_suffix(".building")
        building.unlink(missing_ok=True)
        # The site's own schema, so that Datasette sees its foreign keys and, on SQLite,
        # the search index's FTS5 table (search_searchentry_fts over the entries' title,
        # keywords and body, with the Porter stemmer) and the triggers that fill it.
        manage({**env, "DATABASE_URL": f"sqlite:///{building}"}, "migrate", "--no-input", "-v0")
        copy_tables(self.postgres.url, building)
        print(f"SQLite copy made in {time.perf_counter() - started:.0f} s", flush=True)
        building.replace(self.path)
        self.marker_path.write_text(json.dumps(self.marker) + "\n")


def sqlite_value(value):
    """A PostgreSQL value as Django's SQLite backend stores it."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def copy_tables(postgres_url, path, batch=5000):
    """Every table's rows, from the PostgreSQL database into the migrated SQLite file."""
    import psycopg2
    from django.db.backends.sqlite3._functions import register

    source = psycopg2.connect(postgres_url)
    target = sqlite3.connect(path)
    register(target)  # the functions Django's constraints and indexes call
    try:
        tables = [
            name
            for (name,) in target.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%' AND name NOT LIKE ? AND name != 'django_migrations'",
                [f"{SEARCH_TABLE}_fts%"],
            )
        ]
        with target:
            for table in tables:
                columns = [row[1] for row in target.execute(f'PRAGMA table_info("{table}")')]
                quoted = ", ".join(f'"{column}"' for column in columns)
                target.execute(f'DELETE FROM "{table}"')  # what migrate itself wrote
                with source.cursor(name=f"copy_{table}") as cursor:
                    cursor.itersize = batch
                    cursor.execute(f'SELECT {quoted} FROM "{table}"')
                    insert = (
                        f'INSERT INTO "{table}" ({quoted}) VALUES '
                        f"({', '.join('?' for _ in columns)})"
                    )
                    while rows := cursor.fetchmany(batch):
                        target.executemany(
                            insert, [[sqlite_value(value) for value in row] for row in rows]
                        )
        target.execute("ANALYZE")
        (found,) = target.execute(
            f"SELECT count(*) FROM {SEARCH_TABLE}_fts WHERE {SEARCH_TABLE}_fts MATCH ?",
            ["detainer"],
        ).fetchone()
    finally:
        target.close()
        source.close()
    if not found:
        sys.exit(f"{path}: its full-text index finds nothing; not kept")


class DatasetteVenv:
    """Datasette in a virtual environment of its own."""

    def __init__(self):
        self.folder = CACHE_DIR / "datasette-venv"
        self.bin = self.folder / "bin"

    def ensure(self):
        if not (self.bin / "datasette").exists():
            print(f"Installing Datasette into {self.folder}.", flush=True)
            subprocess.run([sys.executable, "-m", "venv", str(self.folder)], check=True)
            subprocess.run(
                [str(self.bin / "python"), "-m", "pip", "install", "--quiet"]
                + DATASETTE_REQUIREMENTS,
                check=True,
            )
        return run([str(self.bin / "datasette"), "--version"], os.environ, "datasette").strip()


class Datasette(Gunicorn):
    """`datasette serve --immutable` on 127.0.0.1, stopped at the end (as gunicorn is)."""

    def __init__(self, venv, path, port, folder):
        # Datasette finds an FTS table by its own naming; this one is named by the site's.
        metadata = Path(folder) / "datasette-metadata.json"
        table = {"fts_table": f"{SEARCH_TABLE}_fts", "fts_pk": "id"}
        metadata.write_text(
            json.dumps({"databases": {path.stem: {"tables": {SEARCH_TABLE: table}}}})
        )
        self.command = [
            str(venv.bin / "datasette"),
            "serve",
            "--immutable",
            str(path),
            f"--metadata={metadata}",
            "--host=127.0.0.1",
            f"--port={port}",
            *(arg for item in DATASETTE_SETTINGS.items() for arg in ("--setting", *item)),
        ]
        self.env, self.log_path = os.environ.copy(), Path(folder) / "datasette.log"
        self.base = f"http://127.0.0.1:{port}"

    ready_path = "/-/versions.json"


def flush_redis(url):
    """Empty the benchmark's Redis database (its number is in the URL), so each run starts
    cold. Plain RESP over a socket: the project's venv need not hold a Redis client."""
    parts = urlsplit(url)
    number = (parts.path or "/0").lstrip("/") or "0"
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5) as sock:
            commands = [["SELECT", number], ["FLUSHDB"]]
            for command in commands:
                encoded = f"*{len(command)}\r\n" + "".join(
                    f"${len(word)}\r\n{word}\r\n" for word in command
                )
                sock.sendall(encoded.encode())
                answer = sock.recv(1024)
                if not answer.startswith(b"+OK"):
                    sys.exit(f"Redis at {url} answered {answer!r} to {command[0]}")
    except OSError as error:
        sys.exit(f"Redis at {url} did not answer ({error}); pass --redis-url '' to run without")


def machine():
    """The machine's size and how busy it is, for the record."""
    memory_kib = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    cpu = platform.processor()
    with suppress(OSError, TypeError):  # not Linux, or no model name: platform's answer
        cpu = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)[1]
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "cpu": cpu,
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def endpoints(values, datasette_database):
    """(name, kind, paths, name of the Datasette peer) for everything measured, in order."""
    searches = search_paths(values)
    api_searches = ["/api/v1/search/?" + path.split("?", 1)[1] for path in searches]
    # Datasette's full-text search over the same text with the same words: a type filter
    # becomes a column filter; a state filter, which needs the hierarchy, is left out.
    fts = []
    for path in searches:
        query = dict(parse_qsl(path.split("?", 1)[1]))
        params = {"_search": query["q"], "_size": SEARCH_PAGE_SIZE}
        if "type" in query:
            params["record_type"] = query["type"]
        fts.append(urlencode(params))
    table = f"/{datasette_database}/{PEER_TABLE}"
    search_table = f"/{datasette_database}/{SEARCH_TABLE}"
    county, agreement = values["county"], values["agreement"]
    return [
        ("healthz", "ceiling", ["/healthz"], None),
        ("home", "page", ["/"], None),
        ("jurisdiction + profile", "page", [f"/jurisdictions/{county}/"], None),
        ("jurisdictions", "page", ["/jurisdictions/"], None),
        ("agencies", "page", ["/agencies/"], None),
        ("ordinances", "page", ["/ordinances/"], None),
        ("agreements", "page", ["/agreements/"], "datasette table"),
        ("statements", "page", ["/statements/"], None),
        ("sources", "page", ["/sources/"], None),
        ("changes", "page", ["/changes/"], None),
        ("agreement detail", "page", [f"/agreements/{agreement}/"], None),
        ("api list", "api-list", ["/api/v1/agreements/"], "datasette json"),
        ("api detail", "api-detail", [f"/api/v1/agreements/{agreement}/"], None),
        ("search", "search", searches, "datasette search"),
        ("api search", "search", api_searches, "datasette search json"),
        ("csv export", "export", ["/agreements/export.csv"], None),
        ("datasette ceiling", "peer", ["/-/versions.json"], None),
        ("datasette table", "peer", [f"{table}?_size={LIST_PAGE_SIZE}"], None),
        ("datasette json", "peer", [f"{table}.json?_size={API_PAGE_SIZE}"], None),
        ("datasette search", "peer", [f"{search_table}?{query}" for query in fts], None),
        ("datasette search json", "peer", [f"{search_table}.json?{q}" for q in fts], None),
    ]


def settle(server, limit=180):
    """Wait until the server answers its ready path at once again: wrk leaves requests
    queued (a slow endpoint at many connections), which would slow the next endpoint."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        answered = get(server.base + server.ready_path, timeout=limit) == 200
        if answered and time.monotonic() - started < 0.05:
            return
        time.sleep(0.2)


def measure(server, paths, args, folder):
    """Check every path answers 200, warm up, load; the figures, or why not measured."""
    failing = {path: status for path in paths if (status := get(server.base + path, 60)) != 200}
    if failing:
        return None, f"not 200: {failing}"
    wrk(server.base, paths, args, args.warm_up, folder)
    settle(server)
    load = os.getloadavg()[0]
    figures = wrk(server.base, paths, args, args.duration, folder)
    figures["load_average_before"] = round(load, 2)
    settle(server)
    if not figures["requests"]:
        return None, f"no answer within wrk's 10 s timeout ({figures['timeouts']} timed out)"
    return figures, None


def judge(rows):
    """Add each row's ratios and its PASS/MISS per target."""
    by_name = {row["name"]: row for row in rows}
    ceiling = by_name.get("healthz", {}).get("figures")
    for row in rows:
        figures, checks = row["figures"], {}
        row["checks"] = checks
        if figures is None:
            continue
        sound = figures["non2xx"] == 0 and figures["errors"] == 0
        if ceiling and row["kind"] not in {"ceiling", "peer"}:
            row["ceiling_ratio"] = figures["rps"] / ceiling["rps"]
            if row["kind"] in {"page", "api-list", "search"}:
                checks["≥50% ceiling"] = sound and row["ceiling_ratio"] >= CEILING_SHARE
        peer = by_name.get(row["peer"] or "", {}).get("figures")
        if peer:
            row["peer_ratio"] = figures["rps"] / peer["rps"]
            if row["kind"] in {"api-list", "search"}:
                checks["≥ Datasette"] = sound and row["peer_ratio"] >= 1
        if row["kind"] != "peer":
            checks[f"p99<{P99_LIMIT_MS}ms"] = sound and figures["p99_us"] / 1000 < P99_LIMIT_MS
        if not sound:
            checks["all 2xx"] = False


def table(rows):
    lines = [
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | non-2xx | × ceiling | × Datasette "
        "| targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        figures = row["figures"]
        if figures is None:
            lines.append(f"| {row['name']} | not measured: {row['why']} | | | | | | | MISS |")
            continue
        ratio = {
            key: f"{row[key]:.2f}" if key in row else "" for key in ("ceiling_ratio", "peer_ratio")
        }
        peer = f" ({row['peer']})" if row.get("peer_ratio") is not None else ""
        targets = ", ".join(
            f"{name} {'PASS' if passed else 'MISS'}" for name, passed in row["checks"].items()
        )
        lines.append(
            f"| {row['name']} | {figures['rps']:.0f} | {figures['p50_us'] / 1000:.1f} "
            f"| {figures['p95_us'] / 1000:.1f} | {figures['p99_us'] / 1000:.1f} "
            f"| {figures['non2xx'] + figures['errors']} | {ratio['ceiling_ratio']} "
            f"| {ratio['peer_ratio']}{peer} | {targets} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="Build both databases afresh.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per endpoint.")
    parser.add_argument("--warm-up", type=int, default=3, help="Seconds of warm-up per endpoint.")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * os.cpu_count() + 1,
        help="gunicorn sync workers (default: 2 x cores + 1).",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/6",
        help="The shared cache's REDIS_URL, emptied first ('' for none).",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=["API_ANON_RATE=off"],
        metavar="NAME=VALUE",
        help="A setting for the site's server (repeatable; default API_ANON_RATE=off).",
    )
    parser.add_argument("--only", nargs="+", metavar="ENDPOINT", help="Measure only these.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed. On Debian or Ubuntu: apt-get install -y wrk")
    started = time.monotonic()
    conditions = machine()
    print(
        f"{conditions['date']}: {conditions['cores']} cores ({conditions['cpu']}), "
        f"{conditions['memory_gib']} GiB, load average {conditions['load_average']}"
    )
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    venv = DatasetteVenv()
    datasette_version = venv.ensure()

    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="pt-bench-site-"))
        postgres = Postgres(args.records, args.seed)
        env = production_env(postgres.url, folder)
        built = postgres.ensure(env, args.records, args.seed, args.rebuild)
        sqlite = SqliteCopy(postgres)
        sqlite.ensure(env, args.rebuild or built)  # a new database, a new copy
        manage(env, "collectstatic", "--no-input", "-v0")
        values = json.loads(
            re.search(r"^VALUES (.*)$", manage(env, "shell", "-c", QUERY_VALUES_SCRIPT), re.M)[1]
        )
        values |= json.loads(
            re.search(r"^RECORDS (.*)$", manage(env, "shell", "-c", RECORD_VALUES_SCRIPT), re.M)[1]
        )

        server_env = dict(env)
        if args.redis_url:
            flush_redis(args.redis_url)
            server_env["REDIS_URL"] = args.redis_url
        server_env |= dict(setting.split("=", 1) for setting in args.env)
        site = stack.enter_context(
            Gunicorn(server_env, free_port(), args.workers, Path(folder) / "gunicorn.log")
        )
        peer = stack.enter_context(Datasette(venv, sqlite.path, free_port(), folder))
        print(
            f"gunicorn {args.workers} sync workers at {site.base}; {datasette_version} at "
            f"{peer.base}; wrk {args.threads} threads, {args.connections} connections, "
            f"{args.warm_up} s warm-up + {args.duration} s per endpoint.",
            flush=True,
        )
        rows = []
        for name, kind, paths, peer_name in endpoints(values, sqlite.path.stem):
            if args.only and name not in args.only and name.replace(" ", "-") not in args.only:
                continue
            server = peer if kind == "peer" else site
            figures, why = measure(server, paths, args, folder)
            rows.append(
                {
                    "name": name,
                    "kind": kind,
                    "paths": paths,
                    "peer": peer_name,
                    "figures": figures,
                    "why": why,
                }
            )
            if figures:
                print(
                    f"{name}: {figures['rps']:.0f} req/s, p99 {figures['p99_us'] / 1000:.1f} ms, "
                    f"{figures['non2xx'] + figures['errors']} non-2xx or errors "
                    f"(load average before: {figures['load_average_before']})",
                    flush=True,
                )
            else:
                print(f"{name}: not measured, {why}", flush=True)

    judge(rows)
    minutes = (time.monotonic() - started) / 60
    reproduce = shlex.join([".venv/bin/python", "bench/site_load.py", *sys.argv[1:]])
    summary = (
        f"{conditions['date']}, {conditions['cores']} cores ({conditions['cpu']}), "
        f"{conditions['memory_gib']} GiB RAM, load average at start "
        f"{' '.join(map(str, conditions['load_average']))}; PostgreSQL "
        f"{postgres.name} ({args.records:,} records, seed {args.seed}), gunicorn "
        f"{args.workers} sync workers, {datasette_version} on {sqlite.path.name}; wrk "
        f"{args.connections} connections, {args.duration} s per endpoint after "
        f"{args.warm_up} s warm-up; {minutes:.1f} min in all."
    )
    markdown = f"{summary}\n\n{table(rows)}\n\nReproduce: `{reproduce}`\n"
    print("\n" + markdown, flush=True)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%MZ")
    (RESULTS_DIR / f"site_load-{stamp}.md").write_text(markdown)
    (RESULTS_DIR / f"site_load-{stamp}.json").write_text(
        json.dumps(
            {
                "conditions": conditions,
                "settings": vars(args),
                "datasette": datasette_version,
                "rows": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"Saved in {RESULTS_DIR / f'site_load-{stamp}'}.md and .json")
    missed = [row["name"] for row in rows if row["figures"] and not all(row["checks"].values())]
    if missed:
        print(f"Targets missed by: {', '.join(missed)}")
    failed = [
        row["name"]
        for row in rows
        if not row["figures"] or row["figures"]["non2xx"] or row["figures"]["errors"]
    ]
    if failed:
        sys.exit(f"FAILED: not measured, or non-2xx responses or socket errors: {failed}")


if __name__ == "__main__":
    main()
