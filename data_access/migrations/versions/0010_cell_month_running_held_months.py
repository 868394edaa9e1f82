"""cell month running held months: each cell's months with a regular or combined meeting, from its first through each

The least regular cells' grid ranks every cell by its held months ÷ its due months; counting the held ones read
each cell's `cell_month` rows in the period (a province's five years: 540,000 rows), where two running rows per
cell give the same count.
Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A database made by `create_all` after the column existed is adopted at 0001 but already has it.
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("cell_month_running")}
    if "held_months" not in columns:
        with op.batch_alter_table("cell_month_running", schema=None) as batch_op:
            batch_op.add_column(sa.Column("held_months", sa.Integer(), nullable=False, server_default="0"))
    # The rows of derived tables are written by `init` after the upgrade (data_access.migrations.init_db), from
    # today's definitions: a revision never imports live code.


def downgrade() -> None:
    with op.batch_alter_table("cell_month_running", schema=None) as batch_op:
        batch_op.drop_column("held_months")
