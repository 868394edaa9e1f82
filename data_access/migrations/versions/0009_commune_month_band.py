"""commune month bands: meetings per commune, kind of organisation and month in each band of their own rate

The participation page's rate-band chart grouped `cell_month_band` over every cell in view (a province's five
years: 633,000 rows); per commune and month, one column per band, the same months are 35,100 rows to sum.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A database made by `create_all` after this table existed is adopted at 0001 but already has it.
    if not sa.inspect(op.get_bind()).has_table("commune_month_band"):
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
    # The rows of derived tables are written by `init` after the upgrade (data_access.migrations.init_db), from
    # today's definitions: a revision never imports live code.


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM aggregate_span WHERE table_name = 'commune_month_band'"))
    with op.batch_alter_table("commune_month_band", schema=None) as batch_op:
        batch_op.drop_index("ix_commune_month_band_month")
    op.drop_table("commune_month_band")
