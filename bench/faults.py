"""Faults under load: what readers see when PostgreSQL restarts, the disk fills, a worker dies.

Run by hand (as root, in a sandbox or a machine of your own), never in the test suite. It
never touches the PostgreSQL server on 5432: it makes a throwaway cluster of its own
(initdb in a temporary folder, as the postgres OS user, on port 54329 by default), migrates
it, fills it with `generate_synthetic`, serves it with gunicorn and the production settings
(DEBUG off, CONN_MAX_AGE=60 with health checks) on 127.0.0.1, and removes it all at the end.

    .venv/bin/python bench/faults.py all
    .venv/bin/python bench/faults.py postgres-restart   # stop PostgreSQL for a few seconds
    .venv/bin/python bench/faults.py disk-full          # uploads onto a full filesystem
    .venv/bin/python bench/faults.py worker-kill        # SIGKILL, SIGTERM a worker; HUP
    .venv/bin/python bench/faults.py replica            # the replica, then the primary, down
    make bench-faults

postgres-restart: threads of readers request a mix of pages and API lists for a fixed time;
the cluster is stopped (`pg_ctl stop -m fast`, which cuts every connection) for --outage
seconds, then started. Printed: each second's answers, when the failures came (they must
all fall inside the outage), what a reader was shown then (status, Retry-After, title), and
that the same gunicorn master and workers answer 200 again afterwards.

disk-full: MEDIA_ROOT on a tmpfs of 1 MB (mount -t tmpfs), filled but for a few KB; staff
upload a 600 KB document through the admin (Django's test client, in one process, against
the throwaway cluster). Printed: the answer, whether a Source row was written, and what is
left on the filesystem; then the same with Django's stock FileSystemStorage, for
comparison; then the upload again once space is freed. When mount is refused, the full disk
is simulated by a write that fails with ENOSPC half-way, and the script says so.

worker-kill: gunicorn with --workers 3, --preload, --max-requests 400 (workers are recycled
as they would be in production), under load: one worker is sent SIGKILL, later another SIGTERM,
later the master SIGHUP (a graceful reload: new workers, old ones finish their request).
Printed: failed requests near each event (a SIGKILL can lose at most the request the
worker was serving: its connection is closed unanswered; nothing else should fail).

replica: a streaming replica of the throwaway cluster (pg_basebackup -R) on the next port,
named by DATABASE_REPLICA_URL; under load the replica is stopped and started, then the
primary. Printed: each phase's answers and the transactions each server committed in it
(pg_stat_database), which show where the reads went.

Exits 1 when an expectation does not hold. Needs root (runuser, mount) and PostgreSQL 15's
binaries in /usr/lib/postgresql/15/bin. All traffic goes to 127.0.0.1.
"""

import argparse
import collections
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "policytracker_faults"
READ_PATHS = [
    "/",
    "/jurisdictions/",
    "/agreements/",
    "/api/v1/agreements/",
    "/api/v1/jurisdictions/",
    "/search/?q=police",
]
TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)
failures = []


def expect(condition, what):
    print(f"  [{'ok' if condition else 'FAILED'}] {what}")
    if not condition:
        failures.append(what)


def run(command, env=None, what=None, user=None):
    if user:
        command = ["runuser", "-u", user, "--", *command]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{what or command[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of its own in `folder`, owned by the postgres OS user."""

    def __init__(self, folder, port, primary=None):
        self.folder, self.port, self.primary = Path(folder), port, primary
        self.data = self.folder / "pgdata"
        self.url = f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"

    def transactions(self):
        """Transactions committed in the site's database on this server so far."""
        return int(
            run(
                [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
                + [
                    "-tAc",
                    f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{DATABASE}'",
                ]
                + ["postgres"],
                what="psql",
            ).strip()
        )

    def pg_ctl(self, *arguments):
        run(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", *arguments],
            what="pg_ctl",
            user="postgres",
        )

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-l", str(self.folder / "postgres.log"), "-o", options, "start")

    def stop(self):
        self.pg_ctl("-m", "fast", "stop")

    def __enter__(self):
        shutil.chown(self.folder, "postgres")
        if self.primary is not None:
            # A streaming replica: a base backup of the primary, following its WAL.
            run(
                [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port)]
                + ["-U", "postgres", "-D", str(self.data), "-R", "-X", "stream", "-c", "fast"],
                what="pg_basebackup",
                user="postgres",
            )
            self.start()
            return self
        run(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"],
            what="initdb",
            user="postgres",
        )
        self.start()
        run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
            + [DATABASE],
            what="createdb",
        )
        return self

    def __exit__(self, *exc):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.data)]
            + ["-m", "immediate", "-w", "stop"],
            capture_output=True,
        )


class Gunicorn:
    """gunicorn on 127.0.0.1, in its own process group, stopped at the end."""

    def __init__(self, env, log_path, *options):
        self.port = free_port()
        self.command = [
            str(BIN / "gunicorn"),
            "policytracker.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            "--worker-class=sync",
            "--log-level=warning",
            *options,
        ]
        self.env, self.log_path = env, log_path

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 -- closed in __exit__
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while request(self.port, "/healthz")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                sys.exit(f"gunicorn did not start:\n{Path(self.log_path).read_text()}")
            time.sleep(0.2)
        # Warm up: each worker loads its URLs, templates and connection on its first requests.
        for path in READ_PATHS * 3:
            request(self.port, path)
        return self

    def workers(self):
        """The master's children: its workers' process ids."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def request(port, path, timeout=30):
    """(status or the error's name, Retry-After, what the reader was shown)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__, None, ""
    finally:
        connection.close()
    shown = ""
    if response.status != 200:
        title = TITLE.search(body)
        if title:
            shown = title.group(1).decode().strip()
        elif body.startswith(b"{"):
            shown = json.loads(body).get("detail", "")
    return response.status, response.getheader("Retry-After"), shown


class Load:
    """Readers in threads, each requesting READ_PATHS in turn until stopped."""

    def __init__(self, port, threads):
        self.port, self.threads = port, threads
        self.results = []  # (started, finished, path, status, retry_after, shown)
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def reader(self, offset):
        index = offset
        while not self.stopping.is_set():
            path = READ_PATHS[index % len(READ_PATHS)]
            index += 1
            started = time.monotonic() - self.t0
            status, retry_after, shown = request(self.port, path)
            finished = time.monotonic() - self.t0
            with self.lock:
                self.results.append((started, finished, path, status, retry_after, shown))

    def __enter__(self):
        self.t0 = time.monotonic()
        self.pool = [
            threading.Thread(target=self.reader, args=(n,), daemon=True)
            for n in range(self.threads)
        ]
        for thread in self.pool:
            thread.start()
        return self

    def now(self):
        return time.monotonic() - self.t0

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.pool:
            thread.join(timeout=30)

    def per_second(self):
        print("  second  answers by status")
        seconds = collections.defaultdict(collections.Counter)
        for _started, finished, _path, status, _retry, _shown in self.results:
            seconds[int(finished)][status] += 1
        for second in sorted(seconds):
            counts = ", ".join(
                f"{status}: {n}" for status, n in sorted(seconds[second].items(), key=str)
            )
            print(f"  {second:6d}  {counts}")

    def latencies(self):
        by_path = collections.defaultdict(list)
        for started, finished, path, status, _retry, _shown in self.results:
            if status == 200:
                by_path[path].append((finished - started) * 1000)
        summary = ", ".join(
            f"{path} {sorted(times)[len(times) // 2]:.0f} ms" for path, times in by_path.items()
        )
        print(f"  median latency of the 200s: {summary}")

    def failed(self):
        return [result for result in self.results if result[3] != 200]


def prepare(stack, records):
    """A throwaway cluster, migrated and filled, and the production environment for it."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pt-faults-")))
    os.chmod(folder, 0o755)
    cluster = stack.enter_context(Cluster(folder, free_port_near(54329)))
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DEBUG": "false",
        "SECRET_KEY": "fault-demonstration-only-secret-key-not-for-any-real-site",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "CRITICAL",
        # Plain HTTP on loopback, and load threads the API throttle must not refuse.
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "off",
    }
    manage = [str(BIN / "python"), "manage.py"]
    run([*manage, "migrate", "--no-input", "-v0"], env, "migrate")
    run([*manage, "generate_synthetic", f"--records={records}"], env, "generate_synthetic")
    run([*manage, "collectstatic", "--no-input", "-v0"], env, "collectstatic")
    print(f"  a throwaway cluster on port {cluster.port}, {records:,} synthetic records")
    return folder, cluster, env


def free_port_near(port):
    for candidate in range(port, port + 50):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return candidate
    sys.exit("No free port for the throwaway cluster.")


def postgres_restart(args):
    print("\n## postgres-restart: PostgreSQL stopped for a few seconds under load")
    with ExitStack() as stack:
        folder, cluster, env = prepare(stack, args.records)
        server = stack.enter_context(Gunicorn(env, folder / "gunicorn.log", "--workers=3"))
        workers_before = server.workers()
        with Load(server.port, args.threads) as load:
            time.sleep(args.before)
            down_from = load.now()
            cluster.stop()
            stopped_at = load.now()
            time.sleep(args.outage)
            cluster.start()
            up_at = load.now()
            time.sleep(args.after)
        print(
            f"  stop began at {down_from:.2f} s, PostgreSQL down at {stopped_at:.2f} s, "
            f"up again at {up_at:.2f} s"
        )
        load.per_second()
        load.latencies()
        failed = load.failed()
        if failed:
            first, last = min(r[0] for r in failed), max(r[1] for r in failed)
            print(
                f"  {len(failed)} of {len(load.results)} requests failed, "
                f"from {first:.2f} s to {last:.2f} s"
            )
        shown = collections.Counter((r[3], r[4], r[5]) for r in failed)
        for (status, retry_after, title), count in shown.most_common():
            print(
                f"  readers were answered {status} (Retry-After: {retry_after}) "
                f"“{title}” × {count}"
            )
        # A request that was being served when the stop began may fail too.
        outside = [r for r in failed if r[1] < down_from or r[0] > up_at]
        expect(not outside, f"no failure outside the outage window ({len(outside)} outside)")
        expect(
            all(r[3] == 503 for r in failed), "every failure was a 503 page, none a 500 or a reset"
        )
        after = [r for r in load.results if r[0] > up_at + 1]
        expect(
            after and all(r[3] == 200 for r in after),
            f"after the restart every request succeeded "
            f"({len(after)} requests from {up_at + 1:.1f} s)",
        )
        expect(
            server.process.poll() is None and server.workers() == workers_before,
            "the same gunicorn master and workers served before and after (no restart)",
        )


def worker_kill(args):
    print("\n## worker-kill: gunicorn workers killed and reloaded under load")
    with ExitStack() as stack:
        folder, _cluster, env = prepare(stack, args.records)
        server = stack.enter_context(
            Gunicorn(
                env,
                folder / "gunicorn.log",
                "--workers=3",
                # Workers forked from a master that has loaded the site start at once, so a
                # killed or recycled worker is replaced before the requests queue up.
                "--preload",
                "--max-requests=400",
                "--max-requests-jitter=50",
                "--graceful-timeout=30",
            )
        )
        events = []
        with Load(server.port, args.threads) as load:
            time.sleep(args.before)
            for name, send in (
                ("SIGKILL one worker", lambda: os.kill(server.workers()[0], signal.SIGKILL)),
                ("SIGTERM one worker", lambda: os.kill(server.workers()[0], signal.SIGTERM)),
                ("SIGHUP the master (reload)", lambda: os.kill(server.process.pid, signal.SIGHUP)),
            ):
                before = server.workers()
                events.append((name, load.now()))
                send()
                # Until the worker (or, for a reload, every worker) has been replaced.
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    now = server.workers()
                    gone = set(before) - set(now)
                    if len(now) == len(before) and (
                        set(now).isdisjoint(before) if "SIGHUP" in name else gone
                    ):
                        break
                    time.sleep(0.1)
                replaced = load.now()
                time.sleep(args.after)
                print(
                    f"  {name} at {events[-1][1]:.2f} s: workers {before} → {server.workers()}, "
                    f"replaced after {replaced - events[-1][1]:.1f} s"
                )
        load.per_second()
        total, failed = len(load.results), load.failed()
        print(f"  {total} requests, {len(failed)} failed")
        for started, finished, path, status, _retry, _shown in failed:
            print(f"    {status} for {path}, sent at {started:.2f} s, failed at {finished:.2f} s")
        kill_at = events[0][1]
        at_kill = [r for r in failed if r[0] <= kill_at <= r[1] + 0.05]
        expect(
            len(failed) <= 1 and len(at_kill) == len(failed),
            "at most one request failed, one in flight when the worker was killed",
        )
        graceful = [r for r in failed if r[0] > kill_at + 0.5]
        expect(not graceful, "SIGTERM, SIGHUP and --max-requests recycling lost no request")
        deadline = time.monotonic() + 30
        while len(server.workers()) != 3 and time.monotonic() < deadline:
            time.sleep(0.5)
        expect(len(server.workers()) == 3, f"the master keeps three workers: {server.workers()}")


def disk_full(args):
    print("\n## disk-full: a document uploaded onto a full filesystem")
    with ExitStack() as stack:
        folder, _cluster, env = prepare(stack, 1000)
        media = folder / "media"
        media.mkdir(exist_ok=True)
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(media)],
            capture_output=True,
            text=True,
        )
        if mounted.returncode == 0:
            stack.callback(subprocess.run, ["umount", str(media)], capture_output=True)
            print(f"  MEDIA_ROOT is a 1 MB tmpfs at {media}")
        else:
            print(f"  mount refused ({mounted.stderr.strip()}): SIMULATING a full disk (ENOSPC)")
        output = run(
            [str(BIN / "python"), str(ROOT / "bench" / "faults_upload.py")],
            {
                **env,
                "ALLOWED_HOSTS": "testserver",
                "SIMULATE_ENOSPC": "0" if mounted.returncode == 0 else "1",
            },
            "the upload script",
        )
        report = json.loads(re.search(r"^REPORT (.*)$", output, re.MULTILINE).group(1))
        print(
            f"  free space left on the filesystem before the upload: "
            f"{report['free_after_fill']:,} B"
        )
        for key, what in (
            ("site", "the site's storage"),
            ("stock", "Django's stock FileSystemStorage, for comparison"),
            ("freed", "the site's storage, once space was freed"),
        ):
            outcome = report[key]
            print(
                f"  {what}: {outcome['status']} (Retry-After: {outcome['retry_after']}) "
                f"“{outcome['shown']}”; Source rows added: {outcome['rows_added']}; files left: "
                f"{outcome['files'] or 'none'}"
            )
        site, freed = report["site"], report["freed"]
        expect(
            site["status"] == 503 and site["retry_after"],
            "the full disk answered 503 with Retry-After",
        )
        expect(site["rows_added"] == 0, "no Source row was written")
        expect(not site["files"], "no file, partial or whole, was left behind")
        expect(
            freed["status"] == 302 and freed["rows_added"] == 1 and len(freed["files"]) == 1,
            "once space was freed the same upload was saved, its file whole",
        )


def replica(args):
    print("\n## replica: the read replica, then the primary, stopped under load")
    with ExitStack() as stack:
        folder, primary, env = prepare(stack, args.records)
        replica_folder = folder / "replica"
        replica_folder.mkdir()
        replica = stack.enter_context(
            Cluster(replica_folder, free_port_near(primary.port + 1), primary=primary)
        )
        env = {
            **env,
            "DATABASE_REPLICA_URL": (
                f"postgres://postgres@127.0.0.1:{replica.port}/{DATABASE}?connect_timeout=2"
            ),
            "REPLICA_RETRY_SECONDS": "2",
        }
        print(f"  a streaming replica on port {replica.port}; REPLICA_RETRY_SECONDS=2")
        server = stack.enter_context(Gunicorn(env, folder / "gunicorn.log", "--workers=3"))
        up = {"primary": primary, "replica": replica}
        phases = []  # (name, start, end, transactions committed on each server or "down")

        def phase(name, seconds):
            before = {key: cluster.transactions() for key, cluster in up.items()}
            start = load.now()
            time.sleep(seconds)
            end = load.now()
            served = {
                key: (
                    f"{cluster.transactions() - before[key]:,} transactions"
                    if key in before
                    else "down"
                )
                for key, cluster in (("primary", primary), ("replica", replica))
            }
            phases.append((name, start, end, served))

        with Load(server.port, args.threads) as load:
            phase("both up", args.before)
            replica.stop()
            del up["replica"]
            phase("replica down", args.outage)
            replica.start()
            up["replica"] = replica
            phase("replica back", args.after)
            primary.stop()
            del up["primary"]
            phase("primary down", args.outage)
            primary.start()
            up["primary"] = primary
            phase("primary back", args.after)
        load.per_second()
        load.latencies()
        answers = {}
        for name, start, end, served in phases:
            answers[name] = collections.Counter(
                r[3] for r in load.results if start <= r[0] and r[1] <= end
            )
            print(
                f"  {name:>12} ({start:5.2f}–{end:5.2f} s): answers {dict(answers[name])}; "
                f"primary {served['primary']}, replica {served['replica']}"
            )
        failed = load.failed()
        print(f"  {len(load.results)} requests, {len(failed)} failed")
        for started, finished, path, status, _retry, _shown in failed:
            print(
                f"    {status} for {path}, sent at {started:.2f} s, answered at {finished:.2f} s"
            )
        # A query running on a server when it is stopped fails (pg_ctl stop -m fast ends
        # every session): those requests, in flight across a stop, answer 503.
        stops = [phases[0][2], phases[2][2]]  # the replica's, then the primary's
        across = [r for r in failed if any(r[0] <= stop <= r[1] + 0.5 for stop in stops)]
        expect(
            len(across) == len(failed) and all(r[3] == 503 for r in failed),
            "the only failures were 503s for requests in flight when a server stopped",
        )
        expect(set(answers["both up"]) == {200}, "with both up every read succeeded")
        expect(
            set(answers["replica down"]) == {200},
            "with the replica down every read succeeded (from the primary)",
        )
        expect(
            set(answers["primary down"]) == {200},
            "with the primary down every anonymous read succeeded (from the replica)",
        )
        late = [r for r in load.results if r[0] > phases[-1][1] + 1]
        expect(late and all(r[3] == 200 for r in late), "after both restarts every read succeeded")


SCENARIOS = {
    "postgres-restart": postgres_restart,
    "disk-full": disk_full,
    "worker-kill": worker_kill,
    "replica": replica,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=[*SCENARIOS, "all"])
    parser.add_argument("--records", type=int, default=2000, help="Synthetic records to serve.")
    parser.add_argument("--threads", type=int, default=8, help="Concurrent readers.")
    parser.add_argument("--before", type=float, default=5, help="Seconds of load before a fault.")
    parser.add_argument("--outage", type=float, default=4, help="Seconds PostgreSQL is down.")
    parser.add_argument("--after", type=float, default=4, help="Seconds of load after a fault.")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("Run as root: the script needs runuser (initdb) and mount.")
    print(
        f"# Faults, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPUs, {args.threads} reader threads"
    )
    for name, scenario in SCENARIOS.items():
        if args.scenario in (name, "all"):
            scenario(args)
    print(f"\n{len(failures)} expectation(s) failed" if failures else "\nEvery expectation held.")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
