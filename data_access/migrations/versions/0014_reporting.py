"""reporting: which communes and months each import batch covers, so the metrics count reported months only

A commune-month with meetings already stored counts as reported: one row per commune, month and import batch of
its meetings, received when that batch was imported (time unknown for meetings written without a batch).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 03:30:00
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    # A database made by `create_all` after the table existed is adopted at 0001 but already has it.
    if not sa.inspect(bind).has_table("reporting"):
        op.create_table(
            "reporting",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("import_batch_id", sa.Integer(), sa.ForeignKey("importbatch.id"), nullable=True),
            sa.Column("commune_id", sa.Integer(), sa.ForeignKey("commune.id"), nullable=False),
            sa.Column("month", sa.Integer(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("file_name", sa.String(length=255), nullable=False, server_default=""),
            sa.Column("meetings", sa.Integer(), nullable=False, server_default="0"),
            sa.Column("cells", sa.Integer(), nullable=False, server_default="0"),
            sa.Column("nothing_to_report", sa.Boolean(), nullable=False, server_default=sa.false()),
            sa.UniqueConstraint("import_batch_id", "commune_id", "month", name="uq_reporting_batch_commune_month"),
            sa.CheckConstraint("meetings >= 0 AND cells >= 0", name="ck_reporting_counts"),
        )
        op.create_index("ix_reporting_commune_month", "reporting", ["commune_id", "month"])
        op.create_index("ix_reporting_import_batch_id", "reporting", ["import_batch_id"])
    _record_stored_meetings(bind)


def _record_stored_meetings(bind: sa.engine.Connection) -> None:
    """One reporting row per commune, month and batch of the meetings stored before reporting was recorded."""
    if bind.execute(sa.text("SELECT 1 FROM reporting LIMIT 1")).first() is not None:
        return
    month = "CAST(EXTRACT(YEAR FROM m.date) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM m.date) AS INTEGER) - 1"
    if bind.dialect.name == "sqlite":
        month = "CAST(strftime('%Y', m.date) AS INTEGER) * 12 + CAST(strftime('%m', m.date) AS INTEGER) - 1"
    rows = bind.execute(
        sa.text(
            f"SELECT o.commune_id, {month} AS month, m.import_batch_id, COUNT(*) AS meetings,"  # noqa: S608 (no input)
            " COUNT(DISTINCT m.cell_id) AS cells"
            " FROM meeting m JOIN cell c ON c.id = m.cell_id JOIN organisation o ON o.id = c.organisation_id"
            f" GROUP BY o.commune_id, {month}, m.import_batch_id"
        )
    ).all()
    batches = {
        int(b.id): (b.imported_at, b.file_name)
        for b in bind.execute(sa.text("SELECT id, imported_at, file_name FROM importbatch")).all()
    }
    table = sa.table(
        "reporting",
        sa.column("import_batch_id", sa.Integer()),
        sa.column("commune_id", sa.Integer()),
        sa.column("month", sa.Integer()),
        sa.column("received_at", sa.DateTime()),
        sa.column("file_name", sa.String()),
        sa.column("meetings", sa.Integer()),
        sa.column("cells", sa.Integer()),
        sa.column("nothing_to_report", sa.Boolean()),
    )
    values = []
    for row in rows:
        received, file_name = batches.get(int(row.import_batch_id), (None, "")) if row.import_batch_id else (None, "")
        if isinstance(received, str):  # SQLite hands text back through a plain text() query
            received = dt.datetime.fromisoformat(received)
        values.append(
            {
                "import_batch_id": row.import_batch_id,
                "commune_id": int(row.commune_id),
                "month": int(row.month),
                "received_at": received,
                "file_name": (file_name or "")[:255],
                "meetings": int(row.meetings),
                "cells": int(row.cells),
                "nothing_to_report": False,
            }
        )
    for start in range(0, len(values), 5_000):
        op.bulk_insert(table, values[start : start + 5_000])


def downgrade() -> None:
    op.drop_index("ix_reporting_import_batch_id", table_name="reporting")
    op.drop_index("ix_reporting_commune_month", table_name="reporting")
    op.drop_table("reporting")
