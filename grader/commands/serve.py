"""`grader serve`, `grader tokens issue`, and the terminal output of `grader status` / `grader results`."""

from __future__ import annotations

import csv
import io
import logging
import os
import sys
from pathlib import Path
from typing import Any

from grader.text import clean


def locations(root: Path, db: str | None, data: Path | None) -> tuple[str, Path]:
    """The database (default: grader-server.sqlite next to course.toml) and the data folder (grader-server/)."""
    return db or str(root / "grader-server.sqlite"), data or root / "grader-server"


def open_server(root: Path, db: str | None, data: Path | None, backend: str = "local", **options: Any) -> Any:
    """The Server for ``root``; opening the database applies the migrations first."""
    from grader.server.accounts import load_secret
    from grader.server.db import open_db
    from grader.server.store import Server

    db_path, data_dir = locations(root, db, data)
    return Server(root=root, data=data_dir, sessions=open_db(db_path), backend=backend, secret=load_secret(data_dir),
                  **options)


def serve(root: Path, *, host: str, port: int, db: str | None, data: Path | None, backend: str, workers: int,
          broker: str | None = None, queue_prefix: str = "grader", job_deadline: float = 900.0,
          public_url: str | None = None) -> None:
    import uvicorn

    from grader.course import load_course
    from grader.server.app import make_app
    from grader.server.limits import submission_limits
    from grader.server.web import web_settings

    load_course(root)  # a broken course.toml fails here, not on the first submission
    submission_limits(root)
    server = open_server(root, db, data, backend, job_deadline_s=job_deadline)
    logging.getLogger("uvicorn.access").addFilter(lambda record: "authorization" not in str(record.args).lower())
    web = web_settings(host, port, public_url)
    uvicorn.run(make_app(server, workers, broker, queue_prefix, web), host=host, port=port, log_level="info",
                server_header=False, proxy_headers=bool(public_url))


def worker(root: Path, *, broker: str, db: str | None, data: Path | None, backend: str, concurrency: int,
           queue_prefix: str = "grader", job_deadline: float = 900.0, lease: float = 30.0) -> None:
    from grader.course import load_course
    from grader.server.celery_app import run_worker

    load_course(root)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = open_server(root, db, data, backend, job_deadline_s=job_deadline, lease_s=lease)
    if run_worker(server, broker, queue_prefix, concurrency):  # its consumer was stuck: a fresh process
        os.execv(sys.executable, [sys.executable, *sys.argv])


def db_upgrade(root: Path, db: str | None) -> str:
    """Apply the migrations to the server's database; returns its revision."""
    from grader.server.db import make_engine
    from grader.server.migrate import upgrade

    return upgrade(make_engine(locations(root, db, None)[0]))


def issue(root: Path, *, db: str | None, data: Path | None, staff: tuple[str, ...]) -> str:
    """A fresh token for every roster student (and each --staff ID:ROLE); the CSV to hand out."""
    from grader.course import load_course
    from grader.server.accounts import issue_tokens, parse_staff

    server = open_server(root, db, data)
    rows = issue_tokens(server.sessions, server.secret, list(load_course(root).roster()), parse_staff(staff))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "role", "token"])
    writer.writerows(rows)
    return out.getvalue()


def status_lines(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["no submissions yet"]
    lines = []
    for row in rows:
        line = (f"#{row['id']}  {clean(row['exercise'], 64)}  {clean(row['file'], 80)}  {row['submitted_at']}  "
                f"{row['status']}")
        if row.get("late_days"):
            line += f"  ({row['late_days']} day(s) late)"
        if row.get("queue_position"):
            line += f"  (position {row['queue_position']} in the queue, about {wait_text(row.get('eta_s'))})"
        if row.get("reason"):
            line += f"  {clean(row['reason'], 200)}"
        lines.append(line)
    return lines


def shown_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The counted submission (the server says which), else the latest."""
    return [r for r in rows if r.get("counted")][:1] or rows[-1:]


def wait_text(seconds: float | None) -> str:
    if seconds is None:
        return "? min"
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def result_lines(data: dict[str, Any]) -> list[str]:
    sub, result = data["submission"], data["result"]
    head = f"#{sub['id']} {clean(sub['file'], 80)} submitted {sub['submitted_at']}"
    head += "  (counted: this is the submission that counts)" if sub.get("counted") else ""
    if result is None:
        return [head, f"status: {sub['status']}" + (f": {clean(sub['reason'], 300)}" if sub.get("reason") else "")]
    score = (f"{result['score']:g}/{result['max_score']:g}" if result["score_shown"]
             else f"withheld until release (max {result['max_score']:g})")
    lines = [head, f"score: {score}"]
    lines.extend(f"comment from course staff: {clean(text, 600)}" for text in result.get("comments", []))
    if result["import_error"]:
        lines.append(f"does not import: {clean(result['import_error'], 600)}")
    for test in result["tests"]:
        lines.append(f"  {test['status']:<7} {test['score']:g}/{test['max_score']:g}  {clean(test['name'], 120)}")
        if test["feedback"]:
            lines.extend(f"      {clean(line, 300)}" for line in test["feedback"].splitlines()[:6])
    for group in result["withheld"]:
        lines.append(f"  {group['count']} test(s), {group['points']:g} point(s): shown {group['when']}")
    return lines
