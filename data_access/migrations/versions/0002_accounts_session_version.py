"""accounts session version: raised at sign-out so every token issued before dies

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 12:11:13.686552
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A database made by `create_all` after accounts gained the column is adopted at 0001 but already has it.
    if "session_version" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("user")}:
        return
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default=sa.text("0")))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
