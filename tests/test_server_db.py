"""The server's schema comes only from the Alembic migrations shipped in the package, on SQLite and PostgreSQL."""

from __future__ import annotations

import server_db
from click.testing import CliRunner

from cli import main

database = server_db.database


def test_the_migrations_build_exactly_the_models_on_an_empty_database(database: str) -> None:
    from grader.server.db import Base, make_engine
    from grader.server.migrate import head_revision, schema_diff, upgrade

    engine = make_engine(database)
    try:
        assert schema_diff(engine, Base.metadata) != []  # empty: everything is missing
        assert upgrade(engine) == head_revision()
        assert schema_diff(engine, Base.metadata) == []  # alembic's compare_metadata: the migrated schema is the models
        assert upgrade(engine) == head_revision()  # idempotent
    finally:
        engine.dispose()
    tables = {r[0] for r in server_db.rows(database, "select version_num from alembic_version")}
    assert tables == {head_revision()}


def test_grader_db_upgrade_migrates_the_named_database(database: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from conftest import COURSE

    monkeypatch.setenv("GRADER_COURSE", str(COURSE))
    out = CliRunner().invoke(main, ["db", "upgrade", "--db", database])
    assert out.exit_code == 0, out.output
    assert "database at revision 0001" in out.output
    assert server_db.rows(database, "select count(*) from jobs") == [(0,)]
