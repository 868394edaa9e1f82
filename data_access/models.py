"""The data model: SQLModel tables with the constraints the domain implies, enforced by the database.

Vocabularies are stored as short English codes (checked by the database); their Vietnamese labels live in the
interface catalogue. No personal data of members is stored: the dashboard works on counts.

The derived tables (`cell_month` and its kin) are not here: their columns are the measures of the registry, and
`data_access.measures.derived_tables` builds them from it on the same metadata.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

ORGANISATION_KINDS = ("party_committee", "party_cell")
SECTORS = ("commune", "agency", "school", "enterprise", "armed_forces", "other")
CELL_KINDS = ("village", "agency", "school", "enterprise", "other")
MEETING_KINDS = ("regular", "thematic", "combined")
QUALITY_LEVELS = ("good", "fair", "average", "poor")
INSPECTION_KINDS = ("inspection", "supervision")
OUTCOMES = ("commended", "satisfactory", "correction_required", "disciplined")
RATING_LEVELS = ("excellent", "good", "complete", "not_complete")
ROLES = ("admin", "district", "commune")
IMPORT_KINDS = ("units", "meetings", "inspections", "ratings", "demo")


def _in(column: str, values: tuple[str, ...], *, nullable: bool = False) -> str:
    listed = ", ".join(f"'{v}'" for v in values)  # constants of this module, never user input
    clause = f"{column} IN ({listed})"
    return f"({column} IS NULL OR {clause})" if nullable else clause


class Commune(SQLModel, table=True):
    """A commune or township, as it was named while it existed."""

    __table_args__ = (UniqueConstraint("name", name="uq_commune_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    code: str = Field(max_length=40, unique=True)
    district: str | None = Field(default=None, max_length=120)
    province: str | None = Field(default=None, max_length=120)
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="commune.id")
    """The commune this one became part of (many into one), from `merged_on`; its records keep this commune."""
    merged_on: dt.date | None = None


class Organisation(SQLModel, table=True):
    """A base (grassroots) party organisation: a party committee with cells, or a base party cell."""

    __table_args__ = (
        UniqueConstraint("name", name="uq_organisation_name"),
        CheckConstraint(_in("kind", ORGANISATION_KINDS), name="ck_organisation_kind"),
        CheckConstraint(_in("sector", SECTORS), name="ck_organisation_sector"),
        CheckConstraint("active_to IS NULL OR active_to >= active_from", name="ck_organisation_active"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    sector: str = Field(default="commune", max_length=20)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    active_from: dt.date = Field(default=dt.date(2000, 1, 1))
    active_to: dt.date | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="organisation.id")
    """The organisation that took this one's cells over (an old commune's committee dissolved), from `merged_on`."""
    merged_on: dt.date | None = None


class Cell(SQLModel, table=True):
    """A party cell. A base organisation that is itself a cell has exactly one Cell row of the same name."""

    __table_args__ = (
        UniqueConstraint("organisation_id", "name", name="uq_cell_organisation_name"),
        CheckConstraint(_in("kind", CELL_KINDS), name="ck_cell_kind"),
        CheckConstraint("meeting_day BETWEEN 1 AND 28", name="ck_cell_meeting_day"),
        CheckConstraint("members >= 0", name="ck_cell_members"),
        CheckConstraint("active_to IS NULL OR active_to >= active_from", name="ck_cell_active"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str = Field(default="other", max_length=20)
    meeting_day: int = 3
    members: int = 0
    active_from: dt.date = Field(default=dt.date(2000, 1, 1))
    active_to: dt.date | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="cell.id")
    """The cell that continues this one (regrouped under another organisation, maybe renamed), from `merged_on`."""
    merged_on: dt.date | None = None


class Topic(SQLModel, table=True):
    """A thematic-meeting topic."""

    id: int | None = Field(default=None, primary_key=True)
    name_vi: str = Field(max_length=200, unique=True)
    name_en: str = Field(max_length=200)
    category: str = Field(default="other", max_length=40)


class ImportBatch(SQLModel, table=True):
    """Audit of every import (and of the demo generation)."""

    __table_args__ = (CheckConstraint(_in("kind", IMPORT_KINDS), name="ck_import_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=20)
    rows: int = 0
    rows_new: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    imported_by: str = Field(default="", max_length=120)
    imported_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))


class Reporting(SQLModel, table=True):
    """One commune-month an import batch covers: the batch held meetings of the commune's cells dated in that month,
    or said the commune had nothing to report for it. A commune-month is *reported* once it has a row; its first
    receipt is the earliest `received_at` of its rows (a later import of the same data adds a row, never moves it).

    `month` is year * 12 + month - 1. `received_at` is empty for the rows migration 0014 recorded from meetings
    imported before this table existed without a batch (received, time unknown)."""

    __tablename__ = "reporting"
    __table_args__ = (
        UniqueConstraint("import_batch_id", "commune_id", "month", name="uq_reporting_batch_commune_month"),
        CheckConstraint("meetings >= 0 AND cells >= 0", name="ck_reporting_counts"),
        Index("ix_reporting_commune_month", "commune_id", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    import_batch_id: int | None = Field(default=None, foreign_key="importbatch.id", index=True)
    commune_id: int = Field(foreign_key="commune.id")
    month: int
    received_at: dt.datetime | None = None
    file_name: str = Field(default="", max_length=255)
    meetings: int = 0  # the batch's meeting rows in this commune-month
    cells: int = 0  # the cells those rows name
    nothing_to_report: bool = False  # the batch said the commune had nothing to report for the month


class Meeting(SQLModel, table=True):
    """One held meeting of a cell (biên bản): its date, kind and attendance counts."""

    __table_args__ = (
        UniqueConstraint("cell_id", "date", "kind", name="uq_meeting_cell_date_kind"),
        CheckConstraint(_in("kind", MEETING_KINDS), name="ck_meeting_kind"),
        CheckConstraint(_in("quality", QUALITY_LEVELS, nullable=True), name="ck_meeting_quality"),
        CheckConstraint(
            "members_total >= 0 AND members_exempt >= 0 AND present >= 0 "
            "AND absent_excused >= 0 AND absent_unexcused >= 0",
            name="ck_meeting_counts_nonnegative",
        ),
        CheckConstraint("members_exempt <= members_total", name="ck_meeting_exempt"),
        CheckConstraint("present <= members_total - members_exempt", name="ck_meeting_present"),
        CheckConstraint("duration_min IS NULL OR duration_min > 0", name="ck_meeting_duration"),
        CheckConstraint("kind = 'regular' OR topic_id IS NOT NULL OR kind = 'combined'", name="ck_meeting_topic"),
        Index("ix_meeting_date_cell", "date", "cell_id"),
        # the as-of month's thematic meetings, read by the topic tables without visiting the table (0007)
        Index(
            "ix_meeting_thematic_date",
            "date",
            "cell_id",
            "topic_id",
            postgresql_where=text("topic_id IS NOT NULL"),
            sqlite_where=text("topic_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    cell_id: int = Field(foreign_key="cell.id")
    date: dt.date
    kind: str = Field(max_length=10)
    topic_id: int | None = Field(default=None, foreign_key="topic.id", index=True)
    members_total: int
    members_exempt: int = 0
    present: int
    absent_excused: int = 0
    absent_unexcused: int = 0
    duration_min: int | None = None
    superior_attended: bool = False
    quality: str | None = Field(default=None, max_length=10)
    import_batch_id: int | None = Field(default=None, foreign_key="importbatch.id")


class Inspection(SQLModel, table=True):
    """An inspection or supervision of an organisation (optionally one of its cells) and its outcome."""

    __table_args__ = (
        UniqueConstraint("organisation_id", "cell_id", "body", "kind", "started_on", name="uq_inspection_key"),
        CheckConstraint(_in("kind", INSPECTION_KINDS), name="ck_inspection_kind"),
        CheckConstraint(_in("outcome", OUTCOMES), name="ck_inspection_outcome"),
        CheckConstraint("concluded_on IS NULL OR concluded_on >= started_on", name="ck_inspection_dates"),
        CheckConstraint("resolved_on IS NULL OR resolved_on >= started_on", name="ck_inspection_resolved"),
        Index("ix_inspection_org_dates", "organisation_id", "concluded_on", "started_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    cell_id: int | None = Field(default=None, foreign_key="cell.id")
    body: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    started_on: dt.date
    concluded_on: dt.date | None = None
    outcome: str = Field(max_length=30)
    reward_level: str | None = Field(default=None, max_length=200)
    discipline_level: str | None = Field(default=None, max_length=200)
    follow_up_due: dt.date | None = None
    resolved_on: dt.date | None = None
    findings: str | None = None
    import_batch_id: int | None = Field(default=None, foreign_key="importbatch.id")


class Rating(SQLModel, table=True):
    """The annual classification of an organisation (cell_id empty) or of one of its cells."""

    __table_args__ = (
        UniqueConstraint("year", "organisation_id", "cell_id", "scheme", name="uq_rating_key"),
        CheckConstraint(_in("level", RATING_LEVELS), name="ck_rating_level"),
        CheckConstraint("year BETWEEN 1990 AND 2100", name="ck_rating_year"),
        Index("ix_rating_org_year", "organisation_id", "year"),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int
    organisation_id: int = Field(foreign_key="organisation.id")
    cell_id: int | None = Field(default=None, foreign_key="cell.id")
    level: str = Field(max_length=20)
    scheme: str = Field(default="annual", max_length=40)
    import_batch_id: int | None = Field(default=None, foreign_key="importbatch.id")


class User(SQLModel, table=True):
    """An account: who may see what. Passwords are stored only as a library hash."""

    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="ck_user_role"),
        CheckConstraint("role <> 'commune' OR commune_id IS NOT NULL", name="ck_user_commune_scope"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True)
    display_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=200, unique=True)
    password_hash: str = Field(default="", max_length=255)
    role: str = Field(max_length=10)
    commune_id: int | None = Field(default=None, foreign_key="commune.id")
    active: bool = True
    last_sign_in: dt.datetime | None = None
    failed_attempts: int = 0
    locked_until: dt.datetime | None = None
    # Part of every session token; raising it (sign-out, disable, new password) ends all sessions of the account.
    session_version: int = 0


class AccountEvent(SQLModel, table=True):
    """One change an administrator made to an account from the Accounts page or the command line (audit)."""

    __tablename__ = "account_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    actor: str = Field(max_length=80)
    """The administrator's username, or `cli` for the command line."""
    action: str = Field(max_length=20)
    username: str = Field(max_length=80, index=True)
    detail: str = Field(default="", max_length=200)
    """What changed, without any secret: the new role and commune, never a password."""
