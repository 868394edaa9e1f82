"""cell month running totals: each cell's meeting sums from its first month through each month

A cell's sums over any period are then two rows (the last month up to the period's end less the last month
before its start), not one row per month: cells below the participation target over five years of a province
read 18,000 rows instead of 540,000. Filled from the existing cell_month rows on upgrade
(data_access.aggregates.fill_running).

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
    # Existing cell_month rows: their running totals, in this transaction, so the metrics never read an empty
    # table beside a full cell_month (a province's rows take longer than the engines' statement limit).
    from data_access.aggregates import fill_running

    if op.get_bind().dialect.name == "postgresql":
        op.execute("SET LOCAL statement_timeout = 0")
    fill_running(op.get_bind())


def downgrade() -> None:
    op.drop_table("cell_month_running")
