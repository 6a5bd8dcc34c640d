"""The server's database: users, submissions, their grading jobs (a transactional outbox) and grades.

SQLAlchemy 2: SQLite by default (a file next to course.toml), PostgreSQL for several hosts
(``postgresql://user:pw@host/db``, driven by psycopg 3). The schema is created and changed only by
the Alembic migrations in grader/server/migrations (grader/server/migrate.py), never by create_all.

A grade is keyed by (submission, grade key), the grade key being the grader version plus the
exercise's content hash (``0.1.0+3f2a9c1d04be``): a changed hidden test gives a new key, so a
re-grade writes a new Grade row and the old one stays. A job has the same key and unique
(submission, grade key), so queueing the same grading twice is a no-op.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, UniqueConstraint, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

ROLES = ("student", "ta", "instructor")
LIVE, REGRADE = 0, 10  # job priorities: a student's submission, a staff re-grade (always after live ones)
JOB_STATES = ("queued", "dispatched", "running", "done", "failed")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True, index=True)


class Submission(Base):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    exercise: Mapped[str] = mapped_column(String(64))
    assignment: Mapped[str | None] = mapped_column(String(64), nullable=True)
    source_name: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(1024))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    late_days: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued|grading|graded|ungradable
    reason: Mapped[str] = mapped_column(String(1024), default="")


class Job(Base):
    """One grading of one submission under one grade key; the outbox row the dispatcher sends to the broker.

    queued -> dispatched (sent to the broker) -> running (claimed by one worker, leased) -> done | failed;
    a failed attempt or an expired lease goes back to queued until ``attempts`` reaches the bound.
    """
    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("submission_id", "grade_key", name="uq_jobs_submission_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    grade_key: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(Integer, default=LIVE)
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    worker: Mapped[str] = mapped_column(String(128), default="")
    last_error: Mapped[str] = mapped_column(String(2048), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Grade(Base):
    __tablename__ = "grades"
    __table_args__ = (UniqueConstraint("submission_id", "grade_key", name="uq_grades_submission_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    grade_key: Mapped[str] = mapped_column(String(64))
    result_path: Mapped[str] = mapped_column(String(1024))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    graded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorkerBeat(Base):
    """A grading worker's heartbeat (embedded pool or `grader worker`): what /api/health calls "seen"."""
    __tablename__ = "worker_beats"
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    slots: Mapped[int] = mapped_column(Integer, default=1)
    busy: Mapped[int] = mapped_column(Integer, default=0)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time here is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def db_url(db: str | Path) -> str:
    """A path means SQLite; ``postgresql://`` means PostgreSQL through psycopg 3."""
    text = str(db)
    if "://" not in text:
        return f"sqlite:///{Path(text).absolute()}"
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    return text


def make_engine(db: str | Path) -> Engine:
    url = db_url(db)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record):  # type: ignore[no-untyped-def]
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
    return engine


def open_db(db: str | Path, migrate: bool = True) -> sessionmaker[Session]:
    """Sessions for ``db`` (a path or a URL), its schema brought up to date by the migrations first."""
    from grader.server.migrate import upgrade

    engine = make_engine(db)
    if migrate:
        upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


def user_by_hash(session: Session, token_hash: str) -> User | None:
    return session.scalar(select(User).where(User.token_hash == token_hash))
