"""Fuzz the API against its own OpenAPI schema with Schemathesis, on a live server.

For the database DATABASE_URL names (PostgreSQL: a fresh database `<its name>_fuzz` on the
same server, dropped at the end) or, without it, a SQLite file in a temporary folder:

1. migrates, loads the demo data (`manage.py load_demo`), collects the static files into a
   temporary folder and creates a superuser with an API token (`manage.py drf_create_token`);
2. serves the site with gunicorn on a free 127.0.0.1 port with production settings
   (DEBUG off, a SECRET_KEY, two sync workers), API throttling off (the fuzzer sends many
   requests a second from one address);
3. runs `schemathesis run` on /api/schema/ twice, once anonymous and once with the token
   (so that every write is tried by someone allowed to make it), each with every
   operation and method, the examples, coverage and fuzzing phases, and the checks that
   a server must pass whatever it is sent: no 5xx, every status code, content type,
   header and body as the schema documents them, and bad input (data the schema says is
   invalid) refused with a 4xx;
4. stops gunicorn, and exits non-zero if either run found a failure.

A run is bounded: at most --max-examples cases an operation in the examples phase and in
each round of fuzzing, and --max-time seconds a run, which fuzzing fills with further
rounds once the coverage phase (every operation, a fixed set of cases) is done. The checks,
and the one operation method where one is off (with the reason), are in schemathesis.toml
beside this script. Schemathesis prints the
curl command that reproduces each failure, and writes a JUnit XML report to --report-dir.

    .venv/bin/python .ci/fuzz.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/policytracker_ci .venv/bin/python .ci/fuzz.py
    .venv/bin/python .ci/fuzz.py --max-examples 50 --seed 1
    make fuzz

All traffic goes to 127.0.0.1.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"  # the checks, and why
FUZZ_USER = "fuzz"
# API throttling is off for the fuzzer: it is one client sending as fast as it can.
NO_THROTTLING = {"API_ANON_RATE": "off", "API_USER_RATE": "off"}


def run(command, env, what):
    """Run a command; on failure, show its output and stop."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{what} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(url, timeout=1):
    """The status of a GET, 0 if nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@contextmanager
def fresh_postgres(url):
    """A fresh database beside the one `url` names, dropped at the end; yields its URL."""
    import psycopg2  # the project's own driver, installed with it

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_fuzz"
    server = urlunsplit(parts._replace(path="/postgres"))

    def execute(sql):
        connection = psycopg2.connect(server)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(env, port, log_path):
    """gunicorn on 127.0.0.1, in its own process group, stopped at the end."""
    command = [
        str(BIN / "gunicorn"),
        "policytracker.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--workers=2",
        "--worker-class=sync",
        "--timeout=60",
        "--log-level=warning",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: the master and its workers stop together
        )
        try:
            deadline = time.monotonic() + 30
            while status_of(f"http://127.0.0.1:{port}/healthz") != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"gunicorn did not answer /healthz:\n{Path(log_path).read_text()}")
                time.sleep(0.2)
            yield
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def schemathesis(schema_url, args, label, headers=()):
    """One Schemathesis run; returns its exit status."""
    report_dir = Path(args.report_dir) / label
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(CONFIG),
        "run",
        schema_url,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(args.max_examples),
        "--max-time",
        str(args.max_time),
        "--workers",
        str(args.workers),
        "--request-timeout",
        "30",
        "--report",
        "junit",
        "--report-dir",
        str(report_dir),
        "--no-color",
        *(["--seed", str(args.seed)] if args.seed is not None else []),
        *[option for header in headers for option in ("--header", header)],
    ]
    print(f"== schemathesis, {label}", flush=True)
    started = time.monotonic()
    status = subprocess.run(command, cwd=ROOT).returncode
    print(f"== schemathesis, {label}: exit {status}, {time.monotonic() - started:.0f} s")
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=10, help="cases an operation")
    parser.add_argument("--max-time", type=int, default=210, help="seconds a run, at most")
    # One worker: Hypothesis's lambda descriptions are not thread-safe on Python 3.11 (a
    # second worker fails now and then with "AST constructor recursion depth mismatch").
    parser.add_argument("--workers", type=int, default=1, help="Schemathesis's workers")
    parser.add_argument("--seed", type=int, help="for a reproducible run")
    parser.add_argument("--report-dir", default=str(ROOT / "schemathesis-report"))
    parser.add_argument(
        "--only", choices=["anonymous", "token"], help="one of the two runs, not both"
    )
    args = parser.parse_args()

    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fuzz-")))
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url.startswith("postgres"):
            database_url = stack.enter_context(fresh_postgres(database_url))
        else:
            database_url = f"sqlite:///{folder / 'fuzz.sqlite3'}"
        env = {
            **os.environ,
            **NO_THROTTLING,
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "fuzz-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
            "LOG_LEVEL": "WARNING",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        }
        manage = [str(BIN / "python"), "manage.py"]
        print(f"== database: {database_url.rsplit('/', 1)[-1]}", flush=True)
        run([*manage, "migrate", "--no-input"], env, "migrate")
        run([*manage, "load_demo"], env, "load_demo")
        # As a deployment does: the pages (a 404's among them) name the hashed files.
        run([*manage, "collectstatic", "--no-input"], env, "collectstatic")
        run(
            [*manage, "createsuperuser", "--no-input", "--username", FUZZ_USER, "--email", ""],
            env,
            "createsuperuser",
        )
        output = run([*manage, "drf_create_token", FUZZ_USER], env, "drf_create_token")
        token = output.split()[2]  # "Generated token <key> for user fuzz"

        port = free_port()
        stack.enter_context(gunicorn(env, port, folder / "gunicorn.log"))
        schema_url = f"http://127.0.0.1:{port}/api/schema/?format=json"
        statuses = {}
        if args.only in (None, "anonymous"):
            statuses["anonymous"] = schemathesis(schema_url, args, "anonymous")
        if args.only in (None, "token"):
            statuses["token"] = schemathesis(
                schema_url, args, "token", headers=[f"Authorization: Token {token}"]
            )
        errors = [
            line
            for line in (folder / "gunicorn.log").read_text().splitlines()
            if "Traceback" in line or "ERROR" in line
        ]
        if errors:
            print("== gunicorn logged errors:\n" + (folder / "gunicorn.log").read_text())
    failed = sorted(label for label, status in statuses.items() if status != 0)
    if failed or errors:
        sys.exit(f"== fuzzing failed: {', '.join(failed) or 'errors in the server log'}")
    print("== fuzzing passed")


if __name__ == "__main__":
    main()
