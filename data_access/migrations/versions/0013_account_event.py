"""account events: the audit of every change an administrator makes to an account

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A database made by `create_all` after the table existed is adopted at 0001 but already has it.
    if sa.inspect(op.get_bind()).has_table("account_event"):
        return
    op.create_table(
        "account_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False, server_default=""),
    )
    op.create_index("ix_account_event_at", "account_event", ["at"])
    op.create_index("ix_account_event_username", "account_event", ["username"])


def downgrade() -> None:
    op.drop_index("ix_account_event_username", table_name="account_event")
    op.drop_index("ix_account_event_at", table_name="account_event")
    op.drop_table("account_event")
