"""The server's database: users, submissions, their grading jobs (a transactional outbox) and grades.

SQLAlchemy 2 on SQLite by default (a file next to course.toml). A submission and its job are written
in one transaction, so an accepted submission is never left without a job; a grade is keyed by
(submission, grader version), so writing it twice is impossible.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

ROLES = ("student", "ta", "instructor")


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
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued|running|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str] = mapped_column(String(2048), default="")


class Grade(Base):
    __tablename__ = "grades"
    __table_args__ = (UniqueConstraint("submission_id", "grader_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    grader_version: Mapped[str] = mapped_column(String(32))
    result_path: Mapped[str] = mapped_column(String(1024))
    graded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time here is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def db_url(db: str | Path) -> str:
    text = str(db)
    return text if "://" in text else f"sqlite:///{Path(text).absolute()}"


def open_db(db: str | Path) -> sessionmaker[Session]:
    """The engine for ``db`` (a path or a URL), with the tables created; SQLite in WAL mode."""
    url = db_url(db)
    engine: Engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    if url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def user_by_hash(session: Session, token_hash: str) -> User | None:
    return session.scalar(select(User).where(User.token_hash == token_hash))
