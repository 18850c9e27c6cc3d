"""Search under load: requests per second and latency, beside the ceiling of a bare view.

Run by hand, never in the test suite. For each database and each scale it

1. creates a fresh database: on PostgreSQL it drops and creates `policytracker_bench` on
   127.0.0.1:5432 as user postgres; on SQLite, a file in a temporary folder;
2. migrates, runs `generate_synthetic --records N` (timed) and collects the static files
   into a temporary folder;
3. for each endpoint, serves the site with gunicorn on 127.0.0.1 at a free port, with
   DEBUG off: 4 sync workers by default, twice the 2 cores, so one worker computes while
   another waits on the database (wrk shares the same cores, which the figures include);
4. warms up for 3 s, then runs wrk for a fixed time with a fixed number of connections
   against (a) /healthz, a Django view that returns a constant string: the ceiling of this
   server on this machine, and (b) /search/?q=… rotating through a mix of queries: one
   word, two words, a "quoted phrase", an -excluded word, an OR, a place name, an
   official's surname, that surname misspelt, a type filter and a jurisdiction filter.
   "search" runs as the site does, with search's cache (each worker keeps its own, so the
   first request for a query in each worker works it out, some of them after the warm-up);
   "search-uncached" sets SEARCH_CACHE_SECONDS=0, so every request counts, facets, ranks
   and renders its search afresh;
5. stops gunicorn and drops the database, also after an error or Ctrl-C.

It prints a Markdown table (req/s, p50/p95/p99 latency in ms, non-2xx responses) and the
command that reproduces it, and exits with status 1 if any response was not 2xx. Latency
is wrk's, from a closed loop of --connections clients: a server that slows down receives
fewer requests, so read p99 beside req/s.

    .venv/bin/python bench/search_load.py                   # PostgreSQL, 1,000 and 100,000
    .venv/bin/python bench/search_load.py --database postgres sqlite --records 1000
    .venv/bin/python bench/search_load.py --endpoints healthz --records 1000
    .venv/bin/python bench/search_load.py --endpoints search-uncached --records 100000
    make bench-search

Needs wrk (Debian: `apt-get install -y wrk`) and, for PostgreSQL, a server on 127.0.0.1:5432
that lets user postgres in without a password. All traffic goes to 127.0.0.1.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# What a production server measured on loopback needs: plain HTTP (no redirect to HTTPS),
# and no throttle on one client asking as fast as it can.
LOOPBACK_LOAD = {"SECURE_SSL_REDIRECT": "false", "API_ANON_RATE": "off"}


def production_env(database_url, folder):
    """The environment of a production server measured on loopback: DEBUG off, a secret,
    static files collected into `folder`, plain HTTP and no API throttle."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-any-real-site",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(Path(folder) / "static"),
        "LOG_LEVEL": "WARNING",
        **LOOPBACK_LOAD,
    }


LUA_SCRIPT = Path(__file__).resolve().parent / "round_robin.lua"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "policytracker_bench"
WARM_UP_SECONDS = 3
# What each endpoint's server runs with beyond the common settings. "search" runs as the
# site does, with search's cache; "search-uncached" works out every search afresh.
ENDPOINT_SETTINGS = {"search-uncached": {"SEARCH_CACHE_SECONDS": "0"}}

# Query values read from the generated data, so that each query has something to find.
QUERY_VALUES_SCRIPT = """
import json
from collections import Counter
from django.db.models import Count
from agreements.models import Statement
from jurisdictions.models import Jurisdiction
surnames = Counter(
    name.split()[-1]
    for name in Statement.objects.exclude(speaker_name="").values_list("speaker_name", flat=True)
)
place = (
    Jurisdiction.objects.filter(kind="city").annotate(n=Count("ordinances"))
    .order_by("-n", "name").first()
)
state = (
    Jurisdiction.objects.filter(kind="state").annotate(n=Count("children"))
    .order_by("-n", "name").first()
)
print("VALUES " + json.dumps({
    "surname": sorted(surnames.items(), key=lambda item: (-item[1], item[0]))[0][0],
    "place": place.name,
    "state": state.slug,
}))
"""


def misspell(word):
    """Swap two letters in the middle of a word: Kowalczyk → Kowalzcyk."""
    middle = len(word) // 2
    return word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]


def search_paths(values):
    """The query mix, as request paths."""
    queries = [
        {"q": "detainer"},
        {"q": "information sharing"},
        {"q": '"judicial warrant"'},
        {"q": "warrant -administrative"},
        {"q": "detainer OR notification"},
        {"q": values["place"]},
        {"q": values["surname"]},
        {"q": misspell(values["surname"])},
        {"q": "welcoming city", "type": "ordinance"},
        {"q": "task force", "jurisdiction": values["state"]},
    ]
    return ["/search/?" + urlencode(query) for query in queries]


def run(command, env, what):
    """Run a manage.py-style command; on failure, show its output and stop."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{what} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, timeout=5):
    """The status of a GET, 0 if nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class PostgresDatabase:
    """A fresh `policytracker_bench` database, dropped again at the end."""

    def __init__(self):
        import psycopg2  # the project's own driver, installed with it

        self.psycopg2 = psycopg2
        self.url = f"{PG_SERVER}/{PG_DATABASE}"

    def execute(self, sql):
        connection = self.psycopg2.connect(f"{PG_SERVER}/postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def __enter__(self):
        self.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        self.execute(f"CREATE DATABASE {PG_DATABASE}")
        return self

    def __exit__(self, *exc):
        self.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


class SqliteDatabase:
    """A database file in a temporary folder, removed at the end."""

    def __init__(self, folder):
        self.url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass  # the temporary folder goes with it


class Gunicorn:
    """gunicorn on 127.0.0.1, in its own process group, stopped at the end."""

    ready_path = "/healthz"  # what answers 200 once the server is up

    def __init__(self, env, port, workers, log_path):
        self.command = [
            str(BIN / "gunicorn"),
            "policytracker.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
        ]
        self.env, self.log_path = env, log_path
        self.base = f"http://127.0.0.1:{port}"

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 -- closed in __exit__
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: the master and its workers stop together
        )
        deadline = time.monotonic() + 30
        while get(self.base + self.ready_path, timeout=1) != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = Path(self.log_path).read_text()
                sys.exit(f"{self.command[0]} did not answer {self.ready_path}:\n{log}")
            time.sleep(0.2)
        return self

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def __exit__(self, *exc):
        self.stop()


def wrk(base, paths, args, seconds, folder):
    """Run wrk over these paths for a fixed time; return its RESULT figures."""
    paths_file = Path(folder) / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={LUA_SCRIPT}",
        base,
        "--",
        str(paths_file),
    ]
    # wrk stops by itself after --duration; the timeout only guards against a hang.
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"^RESULT (.*)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        sys.exit(f"wrk failed:\n{result.stdout}\n{result.stderr}")
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(
        figures[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return figures


def bench_one(database_name, records, args, rows):
    """Build, serve and measure one database at one scale."""
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="pt-bench-"))
        if database_name == "postgres":
            database = stack.enter_context(PostgresDatabase())
        else:
            database = stack.enter_context(SqliteDatabase(folder))
        env = production_env(database.url, folder)
        manage = [str(BIN / "python"), "manage.py"]
        print(f"\n## {database_name}, {records:,} records", flush=True)
        run([*manage, "migrate", "--no-input", "-v0"], env, "migrate")
        started = time.perf_counter()
        output = run(
            [*manage, "generate_synthetic", f"--records={records}", f"--seed={args.seed}"],
            env,
            "generate_synthetic",
        )
        print(output.strip())
        print(f"generate_synthetic took {time.perf_counter() - started:.1f} s (wall clock)")
        run([*manage, "collectstatic", "--no-input", "-v0"], env, "collectstatic")

        endpoints = {"healthz": ["/healthz"]}
        if any(name.startswith("search") for name in args.endpoints):
            values = run([*manage, "shell", "-c", QUERY_VALUES_SCRIPT], env, "query values")
            values = json.loads(re.search(r"^VALUES (.*)$", values, re.MULTILINE).group(1))
            endpoints["search"] = endpoints["search-uncached"] = search_paths(values)
        endpoints = {name: endpoints[name] for name in args.endpoints}

        for name, paths in endpoints.items():
            # A server of its own for each endpoint, so that no run warms another's cache.
            server_env = {**env, **ENDPOINT_SETTINGS.get(name, {})}
            with Gunicorn(
                server_env, free_port(), args.workers, Path(folder) / "gunicorn.log"
            ) as server:
                measure(name, paths, server, args, folder, database_name, records, rows)


def measure(name, paths, server, args, folder, database_name, records, rows):
    """Check every path answers, warm up, then load them; append the figures to rows."""
    statuses = {path: get(server.base + path, timeout=30) for path in paths}
    failing = {path: status for path, status in statuses.items() if status != 200}
    if failing:
        print(f"{name}: these URLs do not answer 200, so it is not measured: {failing}")
        rows.append((database_name, records, name, None))
        return
    wrk(server.base, paths, args, WARM_UP_SECONDS, folder)
    # Anything else running on these cores lowers the figures: say how busy they were.
    load = os.getloadavg()[0]
    figures = wrk(server.base, paths, args, args.duration, folder)
    rows.append((database_name, records, name, figures))
    print(
        f"{name}: {figures['rps']:.0f} req/s, p95 {figures['p95_us'] / 1000:.1f} ms, "
        f"{figures['non2xx']} non-2xx (load average before the run: {load:.2f})",
        flush=True,
    )


def table(rows):
    lines = [
        "| database | records | endpoint | req/s | p50 ms | p95 ms | p99 ms | non-2xx |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for database, records, endpoint, figures in rows:
        if figures is None:
            lines.append(f"| {database} | {records:,} | {endpoint} | not measured | | | | |")
            continue
        non2xx = figures["non2xx"] + figures["errors"]
        lines.append(
            f"| {database} | {records:,} | {endpoint} | {figures['rps']:.0f} "
            f"| {figures['p50_us'] / 1000:.1f} | {figures['p95_us'] / 1000:.1f} "
            f"| {figures['p99_us'] / 1000:.1f} | {non2xx} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument(
        "--database", nargs="+", choices=["postgres", "sqlite"], default=["postgres"]
    )
    parser.add_argument(
        "--endpoints",
        nargs="+",
        choices=["healthz", "search", "search-uncached"],
        default=["healthz", "search", "search-uncached"],
    )
    parser.add_argument("--duration", type=int, default=15, help="Seconds of load per run.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers.")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed. On Debian or Ubuntu: apt-get install -y wrk")

    reproduce = " ".join(
        [
            ".venv/bin/python bench/search_load.py",
            "--records",
            *map(str, args.records),
            "--database",
            *args.database,
            "--endpoints",
            *args.endpoints,
            f"--duration {args.duration} --connections {args.connections}",
            f"--threads {args.threads} --workers {args.workers} --seed {args.seed}",
        ]
    )
    print(
        f"{os.cpu_count()} CPUs; gunicorn {args.workers} sync workers; wrk {args.threads} "
        f"threads, {args.connections} connections, {args.duration} s per endpoint."
    )
    rows = []
    try:
        for database in args.database:
            for records in args.records:
                bench_one(database, records, args, rows)
    finally:
        # Whatever was measured before a failure is still worth seeing.
        print("\n" + table(rows))
        print(f"\nReproduce: {shlex.join(['cd', str(ROOT)])} && {reproduce}", flush=True)
    failed = [row for row in rows if not row[3] or row[3]["non2xx"] or row[3]["errors"]]
    if failed:
        sys.exit(
            f"FAILED: {len(failed)} runs were not measured or had non-2xx responses or "
            "socket errors."
        )


if __name__ == "__main__":
    main()
