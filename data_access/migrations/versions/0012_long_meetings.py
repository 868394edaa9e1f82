"""long meetings: the meetings lasting at least 90 minutes, summed with the other meeting measures

The party's quality-meeting criterion, as a share of meetings (metric `long_meetings`): one more column in each
table that sums the measures of `data_access.measures.MEETING_MEASURES`. `init` fills it after the upgrade.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 22:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("cell_month", "cell_month_running", "commune_month", "organisation_month")


def upgrade() -> None:
    # A database made by `create_all` after the column existed is adopted at 0001 but already has it.
    inspector = sa.inspect(op.get_bind())
    for table in TABLES:
        if "long_meetings" not in {c["name"] for c in inspector.get_columns(table)}:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.add_column(sa.Column("long_meetings", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("long_meetings")
