"""organisation month to day: an organisation's cell-months and meetings of the latest months as of each day

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 19:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMS = (
    "due_cell_months",
    "held_cell_months",
    "on_fixed_day_cell_months",
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
    if not sa.inspect(op.get_bind()).has_table("organisation_month_to_day"):
        op.create_table(
            "organisation_month_to_day",
            sa.Column("organisation_id", sa.Integer(), nullable=False),
            sa.Column("month", sa.Integer(), nullable=False),
            sa.Column("day", sa.Integer(), nullable=False),
            *[sa.Column(name, sa.Integer(), nullable=False) for name in SUMS],
            sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
            sa.PrimaryKeyConstraint("organisation_id", "month", "day"),
        )
        with op.batch_alter_table("organisation_month_to_day", schema=None) as batch_op:
            batch_op.create_index("ix_organisation_month_to_day_month_day", ["month", "day"], unique=False)
    # The rows of derived tables are written by `init` after the upgrade (data_access.migrations.init_db), from
    # today's definitions: a revision never imports live code.


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM aggregate_span WHERE table_name = 'organisation_month_to_day'"))
    with op.batch_alter_table("organisation_month_to_day", schema=None) as batch_op:
        batch_op.drop_index("ix_organisation_month_to_day_month_day")
    op.drop_table("organisation_month_to_day")
