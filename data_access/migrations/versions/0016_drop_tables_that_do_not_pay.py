"""drop the derived tables that do not pay: `cell_month_topic`, `commune_month_band` and `organisation_month`

Measured on a province (bench/results/2026-12-04-derived-tables.txt): without `cell_month_topic` the topics page
takes 1.0-1.4× as long (its counts come from the meetings), without `commune_month_band` the participation page
1.1-1.5× (its rate bands are summed from `cell_month_band`), without `organisation_month` the regularity page
1.0-1.2× (its table by organisation is read from the cells); a derived table stays only where it pays 2×.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 03:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ORGANISATION_SUMS = (
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
    "long_meetings",
)


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    for name in ("commune_month_band", "organisation_month"):
        op.execute(sa.text("DELETE FROM aggregate_span WHERE table_name = :name").bindparams(name=name))
    if "commune_month_band" in present:
        with op.batch_alter_table("commune_month_band", schema=None) as batch_op:
            batch_op.drop_index("ix_commune_month_band_month")
        op.drop_table("commune_month_band")
    if "cell_month_topic" in present:
        op.drop_table("cell_month_topic")
    if "organisation_month" in present:
        with op.batch_alter_table("organisation_month", schema=None) as batch_op:
            batch_op.drop_index("ix_organisation_month_month")
        op.drop_table("organisation_month")


def downgrade() -> None:
    # Empty, as 0003, 0005 (with 0012's column) and 0009 made them: `init` refills the derived tables of an older
    # revision's code.
    op.create_table(
        "organisation_month",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in ORGANISATION_SUMS],
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("organisation_id", "month"),
    )
    with op.batch_alter_table("organisation_month", schema=None) as batch_op:
        batch_op.create_index("ix_organisation_month_month", ["month"], unique=False)
    op.create_table(
        "cell_month_topic",
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("meetings", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cell_id"], ["cell.id"]),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"]),
        sa.PrimaryKeyConstraint("cell_id", "month", "topic_id"),
    )
    op.create_table(
        "commune_month_band",
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("organisation_kind", sa.String(length=20), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        *[sa.Column(f"band_{band}", sa.Integer(), nullable=False) for band in range(21)],
        sa.ForeignKeyConstraint(["commune_id"], ["commune.id"]),
        sa.PrimaryKeyConstraint("commune_id", "organisation_kind", "month"),
    )
    with op.batch_alter_table("commune_month_band", schema=None) as batch_op:
        batch_op.create_index("ix_commune_month_band_month", ["month"], unique=False)
