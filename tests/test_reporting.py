"""Who has reported: the reporting records an import writes, the status per commune and month, and the metrics
that count reported months only. SQLite and PostgreSQL.

The district (every cell meets on the 3rd; as of 2025-12-10, Vietnam time; deadline the 5th of the next month):

  An Lộc    Thôn 1, Thôn 2   October file on 04/11 (on time): both met on 03/10.
                             November file on 02/12 (on time): Thôn 1 met on 05/11 (not its day), Thôn 2 did not.
  Bình Lộc  Thôn 1, Thôn 2   October file on 03/11: both met. November file at 01:00 on 06/12 Vietnam time
                             (18:00 on 05/12 UTC): late; both met on 03/11.
  Cẩm Lộc   Thôn 1, Thôn 2   October file at 23:00 on 05/11 Vietnam time (on time, the deadline day itself):
                             Thôn 1 met, Thôn 2 did not. Nothing received for November: missing.
  Đông Lộc  Thôn 1           October file on 02/11: it met. November: a "nothing to report" row on 04/12
                             (Vietnamese headers): received, and its cell did not meet.

Regularity over October-November (reported commune-months only):
  An Lộc   due 4, held 3 (Oct both, Nov Thôn 1), on the fixed day 2 (Oct both)
  Bình Lộc due 4, held 4, on the fixed day 4
  Cẩm Lộc  due 2 (October; November is not reported), held 1, on the fixed day 1  (before: due 4, held 1)
  Đông Lộc due 2 (October, and November said "nothing to report"), held 1, on the fixed day 1
  total    due 12, held 9, on the fixed day 8; October due 7 held 6, November due 5 held 3.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from data_access import reporting
from data_access.cli import main
from data_access.filters import EVERYTHING, Filters, Month, Scope
from data_access.importing import import_file, list_batches
from data_access.models import Commune
from data_access.settings import get_settings, load_settings, reporting_deadline_day
from tests.import_factories import csv_bytes

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL

TODAY = dt.date(2025, 12, 10)
OCT, NOV, DEC = Month(2025, 10), Month(2025, 11), Month(2025, 12)
SETTINGS = load_settings({"DATABASE_URL": "sqlite://"})  # Vietnam time
COMMUNES = ("An Lộc", "Bình Lộc", "Cẩm Lộc", "Đông Lộc")
MEETING_HEADER = [
    "organisation",
    "cell",
    "date",
    "kind",
    "members_total",
    "members_exempt",
    "present",
    "absent_excused",
    "absent_unexcused",
]


def _utc(text_: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text_).replace(tzinfo=dt.UTC)


def _meetings(commune: str, *held: tuple[str, str]) -> bytes:
    org = f"Đảng bộ xã {commune}"
    return csv_bytes(MEETING_HEADER, [[org, cell, day, "regular", 10, 0, 9, 1, 0] for cell, day in held])


def _import(engine: Engine, name: str, data: bytes, at: str) -> None:
    report = import_file(
        engine, "meetings", data, file_name=name, today=TODAY, imported_by="tester", imported_at=_utc(at)
    )
    assert report.written, [p.message("en") for p in report.problems]


NOTHING_VI = csv_bytes(
    [
        "tổ chức cơ sở đảng",
        "chi bộ",
        "ngày",
        "loại sinh hoạt",
        "tổng số đảng viên",
        "miễn sinh hoạt",
        "có mặt",
        "vắng có lý do",
        "vắng không lý do",
        "không có số liệu báo cáo",
    ],
    [["Đảng bộ xã Đông Lộc", "", "30/11/2025", "", "", "", "", "", "", "có"]],
)


@pytest.fixture
def towns(engine: Engine) -> dict[str, int]:
    return build_towns(engine)


def build_towns(engine: Engine) -> dict[str, int]:
    """The district above, imported file by file; commune name -> id."""
    rows = [
        [commune, f"Đảng bộ xã {commune}", "party_committee", cell, 3]
        for commune in COMMUNES
        for cell in (("Thôn 1",) if commune == "Đông Lộc" else ("Thôn 1", "Thôn 2"))
    ]
    units = csv_bytes(["commune", "organisation", "organisation_kind", "cell", "meeting_day"], rows)
    assert import_file(engine, "units", units, file_name="units.csv", today=TODAY).written
    _import(
        engine,
        "an-loc-10.csv",
        _meetings("An Lộc", ("Thôn 1", "2025-10-03"), ("Thôn 2", "2025-10-03")),
        "2025-11-04 02:00",
    )
    _import(engine, "an-loc-11.csv", _meetings("An Lộc", ("Thôn 1", "2025-11-05")), "2025-12-02 02:00")
    _import(
        engine,
        "binh-loc-10.csv",
        _meetings("Bình Lộc", ("Thôn 1", "2025-10-03"), ("Thôn 2", "2025-10-03")),
        "2025-11-03 02:00",
    )
    _import(
        engine,
        "binh-loc-11.csv",
        _meetings("Bình Lộc", ("Thôn 1", "2025-11-03"), ("Thôn 2", "2025-11-03")),
        "2025-12-05 18:00",
    )
    _import(engine, "cam-loc-10.csv", _meetings("Cẩm Lộc", ("Thôn 1", "2025-10-03")), "2025-11-05 16:00")
    _import(engine, "dong-loc-10.csv", _meetings("Đông Lộc", ("Thôn 1", "2025-10-03")), "2025-11-02 02:00")
    _import(engine, "dong-loc-11.csv", NOTHING_VI, "2025-12-04 02:00")
    with engine.connect() as conn:
        return {name: int(i) for i, name in conn.execute(select(Commune.id, Commune.name))}  # type: ignore[call-overload]


def _period(start: Month = OCT, end: Month = NOV, **kw: object) -> Filters:
    return Filters(period_from=start, period_to=end, as_of=TODAY, **kw)  # type: ignore[arg-type]


def _statuses(engine: Engine, month: Month, today: dt.date = TODAY) -> dict[str, str]:
    table = reporting.status_for_month(engine, month, scope=EVERYTHING, today=today, settings=SETTINGS)
    return dict(zip(table["commune"], table["status"], strict=True))


# --------------------------------------------------------------------------------------------------------------
# Records and status


def test_each_import_records_the_communes_and_months_it_covers(engine: Engine, towns: dict[str, int]) -> None:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.name, r.month, r.file_name, r.meetings, r.cells, r.nothing_to_report FROM reporting r"
                " JOIN commune c ON c.id = r.commune_id ORDER BY r.file_name"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("An Lộc", OCT.index, "an-loc-10.csv", 2, 2, False),
        ("An Lộc", NOV.index, "an-loc-11.csv", 1, 1, False),
        ("Bình Lộc", OCT.index, "binh-loc-10.csv", 2, 2, False),
        ("Bình Lộc", NOV.index, "binh-loc-11.csv", 2, 2, False),
        ("Cẩm Lộc", OCT.index, "cam-loc-10.csv", 1, 1, False),
        ("Đông Lộc", OCT.index, "dong-loc-10.csv", 1, 1, False),
        ("Đông Lộc", NOV.index, "dong-loc-11.csv", 0, 0, True),
    ]
    batches = list_batches(engine).set_index("file_name")
    assert batches.loc["dong-loc-11.csv", ["communes", "months"]].tolist() == [1, "2025-11"]
    assert batches.loc["an-loc-10.csv", ["communes", "months"]].tolist() == [1, "2025-10"]
    assert batches.loc["units.csv", ["kind", "communes", "months"]].tolist() == ["units", 0, ""]


def test_status_per_commune_and_month(engine: Engine, towns: dict[str, int]) -> None:
    assert _statuses(engine, OCT) == dict.fromkeys(COMMUNES, "received")
    # Bình Lộc's file came at 18:00 UTC on the 5th: already the 6th in Vietnam, after the deadline
    assert _statuses(engine, NOV) == {
        "An Lộc": "received",
        "Bình Lộc": "late",
        "Cẩm Lộc": "missing",
        "Đông Lộc": "received",
    }
    # before the deadline has passed, nothing received is not due yet
    on_the_5th = _statuses(engine, NOV, today=dt.date(2025, 12, 5))
    assert on_the_5th["Cẩm Lộc"] == "not_due"
    assert on_the_5th["Bình Lộc"] == "not_due"  # its file came on the 6th: as of the 5th nothing had arrived
    assert _statuses(engine, DEC) == dict.fromkeys(COMMUNES, "not_due")


def test_status_row_says_when_by_which_file_and_how_many_cells(engine: Engine, towns: dict[str, int]) -> None:
    table = reporting.status_for_month(engine, NOV, today=TODAY, settings=SETTINGS, scope=EVERYTHING)
    assert list(table.columns) == ["commune", "status", "received_at", "file", "cells", "cells_with_meetings"]
    rows = {r.commune: r for r in table.itertuples()}
    assert rows["An Lộc"].received_at == dt.datetime(2025, 12, 2, 9, 0)  # Vietnam time
    assert rows["Bình Lộc"].received_at == dt.datetime(2025, 12, 6, 1, 0)
    assert (rows["An Lộc"].file, rows["An Lộc"].cells, rows["An Lộc"].cells_with_meetings) == ("an-loc-11.csv", 2, 1)
    assert (rows["Cẩm Lộc"].file, rows["Cẩm Lộc"].cells, rows["Cẩm Lộc"].cells_with_meetings) == ("", 2, 0)
    assert (rows["Đông Lộc"].file, rows["Đông Lộc"].cells, rows["Đông Lộc"].cells_with_meetings) == (
        "dong-loc-11.csv",
        1,
        0,
    )
    assert table["received_at"].isna().tolist() == [c == "Cẩm Lộc" for c in table["commune"]]


def test_reimporting_a_file_keeps_the_first_receipt(engine: Engine, towns: dict[str, int]) -> None:
    again = _meetings("An Lộc", ("Thôn 1", "2025-11-05"))
    _import(engine, "an-loc-11.csv", again, "2025-12-20 02:00")
    row = (
        reporting.status_for_month(engine, NOV, today=TODAY, settings=SETTINGS, scope=EVERYTHING)
        .set_index("commune")
        .loc["An Lộc"]
    )
    assert (row["status"], row["received_at"], row["file"]) == (
        "received",
        dt.datetime(2025, 12, 2, 9, 0),
        "an-loc-11.csv",
    )
    # the second import is in the list of batches with what it covered
    batches = list_batches(engine)
    twice = batches[batches["file_name"] == "an-loc-11.csv"]
    assert len(twice) == 2
    newest = twice.iloc[0]  # newest first
    assert (newest["communes"], newest["months"], newest["rows_unchanged"]) == (1, "2025-11", 1)


def test_a_late_file_for_a_missing_month_turns_it_late(engine: Engine, towns: dict[str, int]) -> None:
    _import(engine, "cam-loc-11.csv", _meetings("Cẩm Lộc", ("Thôn 1", "2025-11-03")), "2025-12-10 01:00")
    assert _statuses(engine, NOV)["Cẩm Lộc"] == "late"


def test_a_commune_account_sees_its_own_row_only(engine: Engine, towns: dict[str, int]) -> None:
    own = Scope.only(towns["Cẩm Lộc"])
    table = reporting.status_for_month(engine, NOV, scope=own, today=TODAY, settings=SETTINGS)
    assert table[["commune", "status"]].values.tolist() == [["Cẩm Lộc", "missing"]]
    grid = reporting.status_grid(engine, first=OCT, last=NOV, scope=own, today=TODAY, settings=SETTINGS)
    assert set(grid["commune"]) == {"Cẩm Lộc"}
    # asking for another commune inside the scope gives nothing, not that commune
    other = reporting.status_for_month(
        engine, NOV, scope=own, communes=[towns["An Lộc"]], today=TODAY, settings=SETTINGS
    )
    assert other.empty


def test_the_deadline_setting_moves_the_boundary(engine: Engine, towns: dict[str, int]) -> None:
    day = reporting_deadline_day({"REPORTING_DEADLINE_DAY": "10"})
    table = reporting.status_for_month(engine, NOV, today=TODAY, settings=SETTINGS, deadline_day=day, scope=EVERYTHING)
    assert dict(zip(table["commune"], table["status"], strict=True)) == {
        "An Lộc": "received",
        "Bình Lộc": "received",
        "Cẩm Lộc": "not_due",  # due on the 10th: not past yet on the 10th
        "Đông Lộc": "received",
    }


def test_the_deadline_day_setting_is_checked() -> None:
    assert reporting_deadline_day({}) == 5
    assert reporting.deadline(NOV, 5) == dt.date(2025, 12, 5)
    assert reporting.deadline(DEC, 5) == dt.date(2026, 1, 5)
    for wrong in ("31", "0", "cuối tháng"):
        with pytest.raises(ValueError, match="REPORTING_DEADLINE_DAY"):
            reporting_deadline_day({"REPORTING_DEADLINE_DAY": wrong})


# --------------------------------------------------------------------------------------------------------------
# The command line


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def configured(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("REPORTING_DEADLINE_DAY", raising=False)
    get_settings.cache_clear()
    return engine


def test_export_reporting_prints_one_row_per_commune(configured: Engine, towns: dict[str, int]) -> None:
    code, out, err = _run("export", "reporting", "--month", "2025-11", "--as-of", "2025-12-10")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "commune,status,received_at,file,cells,cells_with_meetings",
        "An Lộc,received,2025-12-02 09:00,an-loc-11.csv,2,1",
        "Bình Lộc,late,2025-12-06 01:00,binh-loc-11.csv,2,2",
        "Cẩm Lộc,missing,,,2,0",
        "Đông Lộc,received,2025-12-04 09:00,dong-loc-11.csv,1,0",
    ]
    code, out, _ = _run("export", "reporting", "--month", "2025-11", "--commune", "Cẩm Lộc", "--as-of", "2025-12-05")
    assert (code, out.splitlines()[1:]) == (0, ["Cẩm Lộc,not_due,,,2,0"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("export", "reporting"), "needs --month"),
        (("export", "reporting", "--month", "2025-13"), "--month expects a month"),
        (("export", "reporting", "--month", "2025-11", "--by", "cell"), "not --by"),
        (("export", "regularity", "--month", "2025-11"), "--month is for export reporting"),
        (("export", "reporting", "--month", "2025-11", "--commune", "Không Có"), "Không Có"),
    ],
)
def test_export_reporting_refuses_bad_arguments_in_one_line(
    configured: Engine, towns: dict[str, int], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = _run(*argv)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1


def test_a_batch_s_months_are_written_as_runs() -> None:
    months = [Month(2025, m).index for m in (1, 2, 3, 6, 9, 10)]
    assert reporting.month_runs(months) == "2025-01 – 2025-03, 2025-06, 2025-09 – 2025-10"
    assert reporting.month_runs([]) == ""
