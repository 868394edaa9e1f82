"""organisation month aggregates: cell-months and meetings summed per organisation and month

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 19:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMS = (
    "due_cell_months",
    "held_cell_months",
    "on_fixed_day_cell_months",
    "due_cell_quarters",
    "covered_cell_quarters",
    "meetings",
    "expected",
    "present",
    "absent_excused",
    "absent_unexcused",
    "superior_attended",
    "thematic",
)


def upgrade() -> None:
    # A database made by `create_all` after this table existed is adopted at 0001 but already has it.
    if not sa.inspect(op.get_bind()).has_table("organisation_month"):
        op.create_table(
            "organisation_month",
            sa.Column("organisation_id", sa.Integer(), nullable=False),
            sa.Column("month", sa.Integer(), nullable=False),
            *[sa.Column(name, sa.Integer(), nullable=False) for name in SUMS],
            sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
            sa.PrimaryKeyConstraint("organisation_id", "month"),
        )
        with op.batch_alter_table("organisation_month", schema=None) as batch_op:
            batch_op.create_index("ix_organisation_month_month", ["month"], unique=False)
    # The rows of derived tables are written by `init` after the upgrade (data_access.migrations.init_db), from
    # today's definitions: a revision never imports live code.


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM aggregate_span WHERE table_name = 'organisation_month'"))
    with op.batch_alter_table("organisation_month", schema=None) as batch_op:
        batch_op.drop_index("ix_organisation_month_month")
    op.drop_table("organisation_month")
