"""cell month running totals: each cell's meeting sums from its first month through each month

A cell's sums over any period are then two rows (the last month up to the period's end less the last month
before its start), not one row per month: cells below the participation target over five years of a province
read 18,000 rows instead of 540,000.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 06:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMS = ("meetings", "expected", "present", "absent_excused", "absent_unexcused", "superior_attended", "thematic")


def upgrade() -> None:
    # A database made by `create_all` after the table existed is adopted at 0001 but already has it.
    if not sa.inspect(op.get_bind()).has_table("cell_month_running"):
        op.create_table(
            "cell_month_running",
            sa.Column("cell_id", sa.Integer(), nullable=False),
            sa.Column("month", sa.Integer(), nullable=False),
            *[sa.Column(name, sa.Integer(), nullable=False) for name in SUMS],
            sa.ForeignKeyConstraint(["cell_id"], ["cell.id"]),
            sa.PrimaryKeyConstraint("cell_id", "month"),
        )
    # The rows of derived tables are written by `init` after the upgrade (data_access.migrations.init_db), from
    # today's definitions: a revision never imports live code.


def downgrade() -> None:
    op.drop_table("cell_month_running")
