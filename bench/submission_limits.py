"""What the submission limit costs: one token-bucket take (an upsert and one conditional UPDATE, in its
own transaction) on SQLite and on PostgreSQL, from 1 and from 8 threads at once (the deadline burst:
many students, one bucket each).

    python3 bench/submission_limits.py [--n 2000] [--pg postgresql://grader:grader@127.0.0.1:5432/postgres]

Prints takes per second and the p50/p95 of one take; PostgreSQL is skipped (saying why) when absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from grader.server.db import open_db
from grader.server.limits import SubmissionLimits, TooManySubmissions, take


def run(db: str, n: int, threads: int) -> tuple[float, float, float]:
    sessions = open_db(db)
    limits = SubmissionLimits(burst=1000, per_minute=600)
    now = dt.datetime.now(dt.UTC)
    durations: list[float] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        mine = []
        for i in range(n // threads):
            started = time.perf_counter()
            try:
                with sessions.begin() as session:
                    take(session, f"s{worker}-{i % 400}", "w06-iou", limits, now)
            except TooManySubmissions:
                pass
            mine.append(time.perf_counter() - started)
        with lock:
            durations.extend(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=work, args=(w,)) for w in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    sessions.kw["bind"].dispose()
    cuts = statistics.quantiles(durations, n=20)
    return len(durations) / wall, statistics.median(durations) * 1000, cuts[18] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--pg", default="postgresql://grader:grader@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    print(f"{'database':<12}{'threads':>8}{'takes/s':>10}{'p50 ms':>9}{'p95 ms':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for threads in (1, 8):
            rate, p50, p95 = run(str(Path(tmp) / f"bench-{threads}.sqlite"), args.n, threads)
            print(f"{'sqlite':<12}{threads:>8}{rate:>10.0f}{p50:>9.2f}{p95:>9.2f}")
    admin_url = make_url(args.pg.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"grader_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - the reason is the message
        print(f"postgresql: skipped ({str(exc).splitlines()[0][:160]})")
        return
    try:
        for threads in (1, 8):
            rate, p50, p95 = run(make_url(args.pg).set(database=name).render_as_string(hide_password=False),
                                 args.n, threads)
            print(f"{'postgresql':<12}{threads:>8}{rate:>10.0f}{p50:>9.2f}{p95:>9.2f}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
