"""drop the to-day tables: a view's as-of month is read from the cells and that month's raw meetings

`commune_month_to_day` and `organisation_month_to_day` held the sums as of each day of the latest three months,
over a span that moved with the wall clock; the as-of month is one month of rows, read at query time.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 22:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
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
TABLES = {
    "commune_month_to_day": (("commune_id", "commune"), ("organisation_kind",)),
    "organisation_month_to_day": (("organisation_id", "organisation"), ()),
}


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    for name in TABLES:
        op.execute(sa.text("DELETE FROM aggregate_span WHERE table_name = :name").bindparams(name=name))
        if name in present:
            with op.batch_alter_table(name, schema=None) as batch_op:
                batch_op.drop_index(f"ix_{name}_month_day")
            op.drop_table(name)


def downgrade() -> None:
    # Empty, as 0004 and 0006 made them: `init` refills the derived tables of an older revision's code.
    for name, ((key, parent), extra) in TABLES.items():
        op.create_table(
            name,
            sa.Column(key, sa.Integer(), nullable=False),
            *[sa.Column(column, sa.String(length=20), nullable=False) for column in extra],
            sa.Column("month", sa.Integer(), nullable=False),
            sa.Column("day", sa.Integer(), nullable=False),
            *[sa.Column(column, sa.Integer(), nullable=False) for column in SUMS],
            sa.ForeignKeyConstraint([key], [f"{parent}.id"]),
            sa.PrimaryKeyConstraint(key, *extra, "month", "day"),
        )
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.create_index(f"ix_{name}_month_day", ["month", "day"], unique=False)
