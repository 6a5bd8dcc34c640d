"""What the database says after a burst: one grade per submission? and what the burst cost it.

Only the tables every version of the server has (submissions, grades, and jobs when there) are read,
with plain SQL through SQLAlchemy, so the same checks run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine


def engine_for(db: str) -> Engine:
    return create_engine(db if "://" in db else f"sqlite:///{db}")


@dataclass
class Check:
    submissions: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    grades: int = 0
    duplicates: list[int] = field(default_factory=list)   # submission ids with more than one grade row
    missing: list[int] = field(default_factory=list)      # graded/queued but without a grade, not ungradable
    ungradable: dict[int, str] = field(default_factory=dict)
    attempts: dict[int, int] = field(default_factory=dict)  # attempts -> number of jobs
    graded_at: dict[int, dt.datetime] = field(default_factory=dict)

    def ok(self, expected: int) -> bool:
        return (self.submissions == expected and not self.duplicates and not self.missing
                and self.grades + len(self.ungradable) == expected)

    def summary(self) -> str:
        return (f"{self.submissions} submissions, {self.grades} grades, statuses {self.statuses}, "
                f"duplicates {self.duplicates or 'none'}, missing {self.missing or 'none'}, "
                f"ungradable {len(self.ungradable)}, job attempts {self.attempts or 'n/a'}")


def aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def check(db: str) -> Check:
    engine = engine_for(db)
    out = Check()
    with engine.connect() as connection:
        rows = list(connection.execute(text("SELECT id, status, reason FROM submissions")))
        grades = list(connection.execute(text("SELECT submission_id, graded_at FROM grades")))
        try:
            attempts = [r[0] for r in connection.execute(text("SELECT attempts FROM jobs"))]
        except Exception:  # noqa: BLE001 - a server version without a jobs table
            attempts = []
    engine.dispose()
    out.submissions = len(rows)
    out.statuses = dict(Counter(r[1] for r in rows))
    out.grades = len(grades)
    per = Counter(g[0] for g in grades)
    out.duplicates = sorted(s for s, c in per.items() if c > 1)
    out.ungradable = {r[0]: r[2] for r in rows if r[1] == "ungradable"}
    out.missing = sorted(r[0] for r in rows if r[0] not in per and r[1] != "ungradable")
    out.attempts = dict(sorted(Counter(attempts).items()))
    out.graded_at = {g[0]: aware(g[1]) for g in grades}
    return out


def graded_count(db: str, engine: Engine | None = None) -> int:
    engine = engine or engine_for(db)
    with engine.connect() as connection:
        graded = connection.execute(text("SELECT count(*) FROM grades")).scalar() or 0
        failed = connection.execute(text("SELECT count(*) FROM submissions WHERE status = 'ungradable'")).scalar()
    return int(graded) + int(failed or 0)


def pg_counters(db: str) -> dict[str, int]:
    """PostgreSQL's own counters for this database (commits, rows written) and the WAL position."""
    if not db.startswith("postgresql"):
        return {}
    engine = engine_for(db)
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted, tup_fetched, "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint FROM pg_stat_database "
            "WHERE datname = current_database()")).one()
    engine.dispose()
    return dict(zip(("commits", "inserted", "updated", "deleted", "fetched", "wal_bytes"), map(int, row), strict=True))
