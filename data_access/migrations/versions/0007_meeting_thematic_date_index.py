"""meeting: a partial index on (date, cell_id, topic_id) of the meetings with a topic

The topic tables read the as-of month's thematic meetings from the raw meetings. Nationally that month's 200,000
meetings lie scattered over the whole table, so reaching their topic read 170,000 pages (1.3 s per query); this
index answers it by itself.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 19:52:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = sa.text("topic_id IS NOT NULL")


def upgrade() -> None:
    # A database made by `create_all` after the index existed is adopted at 0001 but already has it.
    if "ix_meeting_thematic_date" in {ix["name"] for ix in sa.inspect(op.get_bind()).get_indexes("meeting")}:
        return
    op.create_index(
        "ix_meeting_thematic_date",
        "meeting",
        ["date", "cell_id", "topic_id"],
        postgresql_where=WHERE,
        sqlite_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index("ix_meeting_thematic_date", table_name="meeting")
