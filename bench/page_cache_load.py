"""The page cache under load: anonymous pages, API and feeds with it and without it.

Run by hand, never in the test suite. It builds a database as `search_load.py` does
(PostgreSQL `policytracker_bench` or a SQLite file; `generate_synthetic --records N`),
serves it with gunicorn on 127.0.0.1 with DEBUG off, and for each URL runs wrk twice,
each on a server of its own: "cached", as the site runs (PAGE_CACHE_SECONDS=600: after the
warm-up each worker answers from its cache, one query for the content version), and
"uncached" (PAGE_CACHE_SECONDS=0: every request renders). /healthz is the ceiling.
Set REDIS_URL to measure the cache on Redis instead of each worker's memory.

    .venv/bin/python bench/page_cache_load.py                       # PostgreSQL, 1,000
    .venv/bin/python bench/page_cache_load.py --database sqlite --records 1000 --duration 5

Needs wrk. All traffic goes to 127.0.0.1.
"""

import argparse
import os
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_load import (  # noqa: E402  (the same database, server and wrk helpers)
    BIN,
    Gunicorn,
    PostgresDatabase,
    SqliteDatabase,
    free_port,
    measure,
    production_env,
    run,
    table,
)

SLUG_SCRIPT = (
    "from jurisdictions.models import Ordinance; "
    "print('SLUG', Ordinance.objects.published().order_by('pk').values_list('slug', flat=True)"
    ".first())"
)


def urls(slug):
    return {
        "home": "/",
        "ordinance list": "/ordinances/",
        "ordinance list, Spanish": "/es/ordinances/",
        "ordinance detail": f"/ordinances/{slug}/",
        "API list": "/api/v1/ordinances/",
        "API detail": f"/api/v1/ordinances/{slug}/",
        "feed": "/feeds/ordinances/",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per run.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers.")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed. On Debian or Ubuntu: apt-get install -y wrk")
    print(
        f"{os.cpu_count()} CPUs; gunicorn {args.workers} sync workers; wrk {args.threads} "
        f"threads, {args.connections} connections, {args.duration} s per run; cache: "
        f"{'Redis' if os.environ.get('REDIS_URL') else 'each worker its own memory'}."
    )
    rows = []
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="pt-bench-"))
        database = stack.enter_context(
            PostgresDatabase() if args.database == "postgres" else SqliteDatabase(folder)
        )
        env = production_env(database.url, folder)
        manage = [str(BIN / "python"), "manage.py"]
        run([*manage, "migrate", "--no-input", "-v0"], env, "migrate")
        run(
            [*manage, "generate_synthetic", f"--records={args.records}", f"--seed={args.seed}"],
            env,
            "generate_synthetic",
        )
        run([*manage, "collectstatic", "--no-input", "-v0"], env, "collectstatic")
        output = run([*manage, "shell", "-c", SLUG_SCRIPT], env, "a slug")
        slug = output.split("SLUG", 1)[1].strip()

        runs = [("healthz", "/healthz", "600")]
        for name, path in urls(slug).items():
            runs += [(f"{name}, cached", path, "600"), (f"{name}, uncached", path, "0")]
        for name, path, seconds in runs:
            server_env = {**env, "PAGE_CACHE_SECONDS": seconds}
            log = Path(folder) / "gunicorn.log"
            with Gunicorn(server_env, free_port(), args.workers, log) as server:
                measure(name, [path], server, args, folder, args.database, args.records, rows)
    print("\n" + table(rows))


if __name__ == "__main__":
    main()
