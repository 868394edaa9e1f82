"""The briefing as a document: header, title, sections of paragraphs and tables, all text in one language.

The PDF (`pdf`) and the DOCX (`word`) both draw this one `Document`, so they hold the same words and the same
tables; only the charts are the PDF's own (drawn from the same numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from data_access.briefing import texts as tx
from data_access.briefing.content import MISSED_WINDOW, Briefing


@dataclass(frozen=True)
class Table:
    """A table as the reader sees it: column headers, rows of text, which columns are numbers (right-aligned)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()
    note: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: str | None = None  # "trend" or "ranking": the PDF draws it after the section's paragraphs


@dataclass(frozen=True)
class Header:
    superior: str  # the committee above the issuer ("ĐẢNG BỘ TỈNH THANH HÓA"), "" when not recorded
    issuer: str  # "HUYỆN ỦY HẬU LỘC"
    number: str  # "Số: ……-BC/HU"
    party: str  # "ĐẢNG CỘNG SẢN VIỆT NAM"
    place_date: str  # "Hậu Lộc, ngày 03 tháng 12 năm 2026"


@dataclass(frozen=True)
class Document:
    lang: str
    header: Header
    kind: str  # "BÁO CÁO"
    title: str
    subject: str
    as_of: str
    sections: list[Section]
    signature: str
    recipients: str
    recipients_list: str
    page: str  # "Trang {page}/{pages}" with the placeholders left in


def document(briefing: Briefing, *, lang: str, issued_on: dt.date) -> Document:
    """The whole briefing in `lang` ("vi" or "en"), dated `issued_on`."""
    month = tx.month(briefing.month, lang)
    sections = [
        Section(tx.word("s.summary", lang), paragraphs=summary(briefing, lang)),
        Section(tx.word("s.headlines", lang), tables=[_headline_table(briefing, lang)], chart="trend"),
        Section(
            tx.word(f"s.ranking.{briefing.ranked_by}", lang), tables=[_ranking_table(briefing, lang)], chart="ranking"
        ),
        Section(tx.word("s.actions", lang), tables=_action_tables(briefing, lang)),
        Section(tx.word("s.topics", lang), tables=_topic_tables(briefing, lang)),
    ]
    return Document(
        lang=lang,
        header=_header(briefing, lang, issued_on),
        kind=tx.word("report", lang),
        title=tx.word("title", lang, month=month),
        subject=_subject(briefing, lang),
        as_of=tx.word("as_of", lang, date=tx.date(briefing.as_of, lang)),
        sections=sections,
        signature=tx.word("signature", lang),
        recipients=tx.word("recipients", lang),
        recipients_list=tx.word("recipients.list", lang),
        page=tx.word("page", lang, page="{page}", pages="{pages}"),
    )


def _upper(name: str) -> str:
    return name.upper()


def commune_phrase(name: str) -> str:
    """`Lộc Sơn` → `xã Lộc Sơn`; a township or ward keeps its own word (`Thị trấn Hậu Lộc` → `thị trấn Hậu Lộc`)."""
    for word in ("Thị trấn ", "Phường ", "Xã "):
        if name.startswith(word):
            return word.lower() + name[len(word) :]
    return f"xã {name}"


def _header(briefing: Briefing, lang: str, issued_on: dt.date) -> Header:
    place = briefing.place
    if place.level == "commune":
        superior = tx.word("district_party", lang, name=_upper(place.district)) if place.district else ""
        commune = commune_phrase(place.commune) if lang == "vi" else place.commune
        issuer = tx.word("commune_committee", lang, name=_upper(commune))
        code = "ĐU"
        town = place.commune
    else:
        superior = tx.word("province_party", lang, name=_upper(place.province)) if place.province else ""
        issuer = (
            tx.word("district_committee", lang, name=_upper(place.district))
            if place.district
            else tx.word("standing_committee", lang)
        )
        code = "HU"
        town = place.district or place.commune
    if lang == "vi":
        when = tx.word(
            "place_date", lang, place=town, d=f"{issued_on.day:02d}", m=f"{issued_on.month:02d}", y=issued_on.year
        )
    else:
        when = tx.word("place_date", lang, place=town, date=tx.date(issued_on, lang))
    return Header(
        superior=superior,
        issuer=issuer,
        number=tx.word("number", lang, code=code),
        party=tx.word("party", lang),
        place_date=when if town else when.split(", ", 1)[-1],
    )


def _subject(briefing: Briefing, lang: str) -> str:
    place = briefing.place
    if place.level == "organisation":
        return tx.word("subject.organisation", lang, name=place.name)
    if place.level == "commune":
        return tx.word("subject.commune", lang, name=commune_phrase(place.name) if lang == "vi" else place.name)
    if place.name and place.name != place.district:
        return tx.word("subject.communes", lang, name=place.name)
    if place.district:
        return tx.word("subject.district", lang, name=place.district)
    return tx.word("subject.district_unnamed", lang)


def _change_text(change: float | None, lang: str) -> str:
    if change is None:
        return ""
    value = round(abs(change) * 100, 1)
    if value == 0:
        return tx.word("sum.same", lang)
    return tx.word("sum.up" if change > 0 else "sum.down", lang, points=tx.decimal(value, lang))


def summary(briefing: Briefing, lang: str) -> list[str]:
    """The summary paragraph, built from the numbers only: the month's regularity, on the fixed day,
    participation against the target, superior attendance and thematic coverage, then what needs action."""
    h = briefing.headlines
    reg = briefing.regularity.iloc[0] if len(briefing.regularity) else None
    held = int(reg["held_cell_months"]) if reg is not None else 0
    due = int(reg["due_cell_months"]) if reg is not None else 0
    participation = h["participation_rate"].value
    target_word = "sum.reached" if participation is not None and participation >= briefing.target else "sum.not_reached"
    target = tx.percent(briefing.target, lang, decimals=0)
    parts = [
        tx.word(
            "sum.regularity",
            lang,
            month=tx.month(briefing.month, lang),
            held=tx.number(held, lang),
            due=tx.number(due, lang),
            rate=tx.percent(h["regularity_rate"].value, lang),
            change=_change_text(h["regularity_rate"].change_month, lang),
        ),
        tx.word("sum.on_day", lang, rate=tx.percent(h["on_fixed_day_rate"].value, lang)),
        tx.word(
            "sum.participation",
            lang,
            rate=tx.percent(participation, lang),
            change=_change_text(h["participation_rate"].change_month, lang),
            target_word=tx.word(target_word, lang),
            target=target,
        ),
        tx.word("sum.superior", lang, rate=tx.percent(h["superior_attendance_rate"].value, lang)),
        tx.word(
            "sum.thematic",
            lang,
            rate=tx.percent(h["thematic_coverage"].value, lang),
            quarter=tx.quarter(briefing.thematic_quarter, lang),
        ),
    ]
    quarter = _without_thematic_quarter(briefing)
    actions = tx.word(
        "sum.actions",
        lang,
        missed=tx.number(len(briefing.missed), lang),
        window=MISSED_WINDOW,
        below=tx.number(len(briefing.below_target), lang),
        target=target,
        overdue=tx.number(len(briefing.overdue), lang),
        thematic=tx.number(len(briefing.without_thematic), lang),
        quarter=tx.quarter(quarter, lang) if quarter else tx.MISSING,
    )
    inspections = tx.word("sum.inspections", lang, n=tx.number(len(briefing.inspections), lang))
    return ["; ".join(parts) + ".", actions, inspections]


def _without_thematic_quarter(briefing: Briefing) -> str:
    quarters = briefing.without_thematic["quarter"]
    return str(quarters.iloc[0]) if len(quarters) else briefing.thematic_quarter


def _headline_table(briefing: Briefing, lang: str) -> Table:
    rows = []
    for kpi, h in briefing.headlines.items():
        if h.is_rate:
            cells = [tx.percent(h.value, lang), tx.points(h.change_month, lang), tx.points(h.change_year, lang)]
        else:
            cells = [tx.number(h.value, lang), tx.signed(h.change_month, lang), tx.signed(h.change_year, lang)]
        rows.append([tx.word(f"kpi.{kpi}", lang), *cells])
    return Table(
        title="",
        columns=[
            tx.word("h.figure", lang),
            tx.word("h.month", lang, month=tx.month(briefing.month, lang)),
            tx.word("h.change_month", lang),
            tx.word("h.change_year", lang),
        ],
        rows=rows,
        numeric=frozenset({1, 2, 3}),
        note=tx.word("h.quarter_note", lang, quarter=tx.quarter(briefing.thematic_quarter, lang)),
    )


def _ranking_table(briefing: Briefing, lang: str) -> Table:
    target = tx.percent(briefing.target, lang, decimals=0)
    places = ["commune"] if briefing.ranked_by == "commune" else ["organisation", "cell"]
    if briefing.ranked_by == "cell" and briefing.ranking["organisation"].nunique() <= 1:
        places = ["cell"]
    columns = [tx.word("col.no", lang), *[tx.word(f"col.{p}", lang) for p in places]]
    columns += [
        tx.word("col.held", lang),
        tx.word("col.regularity_rate", lang),
        tx.word("col.meetings", lang),
        tx.word("col.participation_rate", lang),
        tx.word("col.target", lang, target=target),
    ]
    rows = []
    for row in briefing.ranking.itertuples(index=False):
        reached = pd.notna(row.participation_rate) and not row.below_target
        rows.append(
            [
                tx.number(row.rank, lang),
                *[str(getattr(row, p)) for p in places],
                f"{tx.number(row.held_cell_months, lang)}/{tx.number(row.due_cell_months, lang)}",
                tx.percent(row.regularity_rate, lang),
                tx.number(row.meetings, lang),
                tx.percent(row.participation_rate, lang),
                tx.word("yes" if reached else "no", lang),
            ]
        )
    first_number = 1 + len(places)
    return Table("", columns, rows, numeric=frozenset({0, *range(first_number, first_number + 4)}))


def _unit_columns(lang: str) -> list[str]:
    return [tx.word("col.no", lang), tx.word("col.commune", lang), tx.word("col.organisation", lang)]


def _numbered(lang: str, cells: list[list[str]]) -> list[list[str]]:
    return [[tx.number(i, lang), *row] for i, row in enumerate(cells, start=1)]


def _action_tables(briefing: Briefing, lang: str) -> list[Table]:
    target = tx.percent(briefing.target, lang, decimals=0)
    units = [*_unit_columns(lang), tx.word("col.cell", lang)]
    missed = briefing.missed
    below = briefing.below_target
    overdue = briefing.overdue
    without = briefing.without_thematic
    quarter = _without_thematic_quarter(briefing)
    return [
        Table(
            tx.word("a.missed", lang, window=MISSED_WINDOW, n=tx.number(len(missed), lang)),
            [*units, tx.word("col.months", lang)],
            _numbered(
                lang,
                [
                    [r.commune, r.organisation, r.cell, tx.months(r.months, lang)]
                    for r in missed.itertuples(index=False)
                ],
            ),
            numeric=frozenset({0}),
        ),
        Table(
            tx.word("a.below", lang, target=target, n=tx.number(len(below), lang)),
            [*units, tx.word("col.meetings", lang), tx.word("col.participation_rate", lang)],
            _numbered(
                lang,
                [
                    [
                        r.commune,
                        r.organisation,
                        r.cell,
                        tx.number(r.meetings, lang),
                        tx.percent(r.participation_rate, lang),
                    ]
                    for r in below.itertuples(index=False)
                ],
            ),
            numeric=frozenset({0, 4, 5}),
        ),
        Table(
            tx.word("a.overdue", lang, n=tx.number(len(overdue), lang)),
            [
                *units,
                tx.word("col.outcome", lang),
                tx.word("col.follow_up_due", lang),
                tx.word("col.days_overdue", lang),
            ],
            _numbered(
                lang,
                [
                    [
                        r.commune,
                        r.organisation,
                        r.cell or "",
                        tx.word(f"outcome.{r.outcome}", lang),
                        tx.date(r.follow_up_due, lang),
                        tx.number(r.days_overdue, lang),
                    ]
                    for r in overdue.itertuples(index=False)
                ],
            ),
            numeric=frozenset({0, 5, 6}),
        ),
        Table(
            tx.word("a.thematic", lang, quarter=tx.quarter(quarter, lang), n=tx.number(len(without), lang)),
            [*units, tx.word("col.last_thematic_meeting", lang)],
            _numbered(
                lang,
                [
                    [
                        r.commune,
                        r.organisation,
                        r.cell,
                        tx.date(r.last_thematic_meeting, lang)
                        if r.last_thematic_meeting is not None
                        else tx.word("never", lang),
                    ]
                    for r in without.itertuples(index=False)
                ],
            ),
            numeric=frozenset({0, 4}),
        ),
        _not_reported_table(briefing, lang),
    ]


def _not_reported_table(briefing: Briefing, lang: str) -> Table:
    """The communes that have not sent the month's data, missing ones first (data_access.reporting)."""
    rows = briefing.not_reported
    deadline = tx.date(briefing.deadline, lang) if briefing.deadline is not None else tx.MISSING
    return Table(
        tx.word("a.not_reported", lang, month=tx.month(briefing.month, lang), n=tx.number(len(rows), lang)),
        [
            tx.word("col.no", lang),
            tx.word("col.commune", lang),
            tx.word("col.status", lang),
            tx.word("col.cells_due", lang),
        ],
        _numbered(
            lang,
            [
                [r.commune, tx.word(f"status.{r.status}", lang), tx.number(r.cells, lang)]
                for r in rows.itertuples(index=False)
            ],
        ),
        numeric=frozenset({0, 3}),
        note=tx.word("a.not_reported_note", lang, deadline=deadline) if len(rows) else "",
    )


def _topic_tables(briefing: Briefing, lang: str) -> list[Table]:
    month = tx.month(briefing.month, lang)
    columns = [tx.word("col.no", lang), tx.word("col.topic", lang), tx.word("col.meetings", lang)]
    columns.append(tx.word("col.cells", lang))

    def topic_rows(df: pd.DataFrame) -> list[list[str]]:
        return _numbered(
            lang,
            [[r.topic, tx.number(r.meetings, lang), tx.number(r.cells, lang)] for r in df.itertuples(index=False)],
        )

    inspections = briefing.inspections
    return [
        Table(
            tx.word("t.topics_month", lang, month=month),
            columns,
            topic_rows(briefing.topics_month),
            numeric=frozenset({0, 2, 3}),
        ),
        Table(
            tx.word("t.topics_quarter", lang, quarter=tx.quarter(briefing.quarter, lang), month=month),
            columns,
            topic_rows(briefing.topics_quarter),
            numeric=frozenset({0, 2, 3}),
        ),
        Table(
            tx.word("t.inspections", lang, n=tx.number(len(inspections), lang)),
            [
                *_unit_columns(lang),
                tx.word("col.body", lang),
                tx.word("col.kind", lang),
                tx.word("col.concluded_on", lang),
                tx.word("col.outcome", lang),
            ],
            _numbered(
                lang,
                [
                    [
                        r.commune,
                        r.organisation,
                        r.body,
                        _kind(r.kind, lang),
                        tx.date(r.concluded_on, lang),
                        tx.word(f"outcome.{r.outcome}", lang),
                    ]
                    for r in inspections.itertuples(index=False)
                ],
            ),
            numeric=frozenset({0}),
        ),
    ]


def _kind(kind: str, lang: str) -> str:
    key = f"inspection_kind.{kind}"
    return tx.word(key, lang) if key in tx.WORDS else str(kind)
