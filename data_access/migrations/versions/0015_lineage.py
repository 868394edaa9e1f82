"""lineage: a commune, a base organisation or a cell succeeded by another from a date (the 2025 merger)

`merged_into_id` (the successor, many into one) and `merged_on` on `commune`, `organisation` and `cell`. The
records keep the unit they were made under; the metrics group them under today's commune through this column
(`data_access.lineage`). Nothing to fill: no unit has a successor until a units file or the demo gives one.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 03:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("commune", "organisation", "cell")


def upgrade() -> None:
    # A database made by `create_all` after the columns existed is adopted at 0001 but already has them.
    inspector = sa.inspect(op.get_bind())
    for table in TABLES:
        if "merged_into_id" in {c["name"] for c in inspector.get_columns(table)}:
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("merged_on", sa.Date(), nullable=True))
            batch_op.create_foreign_key(f"fk_{table}_merged_into_id", table, ["merged_into_id"], ["id"])


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_merged_into_id", type_="foreignkey")
            batch_op.drop_column("merged_on")
            batch_op.drop_column("merged_into_id")
