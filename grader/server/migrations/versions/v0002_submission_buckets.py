"""Submission limits: one token bucket per (student, exercise), shared by every server process.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table("submission_buckets",
                    sa.Column("student", sa.String(length=64), nullable=False),
                    sa.Column("exercise", sa.String(length=64), nullable=False),
                    sa.Column("ready_at", sa.Float(), nullable=False),
                    sa.PrimaryKeyConstraint("student", "exercise"))


def downgrade() -> None:
    op.drop_table("submission_buckets")
