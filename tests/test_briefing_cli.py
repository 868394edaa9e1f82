"""`python -m data_access briefing …` on the small district: the files it writes and the input it refuses."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as read_docx
from sqlalchemy.engine import Engine

from data_access.auth import create_user
from data_access.cli import main
from data_access.settings import get_settings
from tests.small_district import district
from tests.test_briefing import DA_LOC_CELL, LOC_SON_CELLS, docx_text, pdf_text

__all__ = ["district"]

PASSWORD = "correct horse battery"


@pytest.fixture
def configured(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Point the CLI's settings at the test database."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    return engine


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["briefing", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_writes_the_pdf_and_the_docx(configured: Engine, district: dict[str, int], tmp_path: Path) -> None:
    for file_format in ("pdf", "docx"):
        target = tmp_path / f"b.{file_format}"
        code, out, err = run("--month", "2025-04", "--format", file_format, "--out", str(target), "--lang", "vi")
        assert (code, err) == (0, "")
        assert out.startswith(f"briefing 2025-04 written to {target}")
        data = target.read_bytes()
        text = pdf_text(data, tmp_path) if file_format == "pdf" else docx_text(data)
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "33,3 %" in text and "90,5 %" in text
        assert all(cell in text for cell in (*LOC_SON_CELLS, DA_LOC_CELL))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_one_commune_by_name(configured: Engine, district: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "ls.docx"
    code, _, err = run("--month", "2025-04", "--commune", "Lộc Sơn", "--format", "docx", "--out", str(target))
    assert (code, err) == (0, "")
    text = docx_text(target.read_bytes())
    assert "Đảng bộ xã Lộc Sơn" in text
    assert DA_LOC_CELL not in text and "Đa Lộc" not in text
    word = read_docx(str(target))
    ranking = word.tables[2]  # header block, headline figures, then the ranking of the commune's cells
    assert [row.cells[1].text for row in ranking.rows[1:]] == ["Chi bộ thôn 1", "Chi bộ thôn 2"]


def test_a_commune_account_gets_its_own_commune_only(
    configured: Engine, district: dict[str, int], tmp_path: Path
) -> None:
    create_user(configured, username="xa.da.loc", role="commune", password=PASSWORD, commune="Đa Lộc")
    target = tmp_path / "own.pdf"
    code, _, err = run("--month", "2025-04", "--user", "xa.da.loc", "--format", "pdf", "--out", str(target))
    assert (code, err) == (0, "")
    text = pdf_text(target.read_bytes(), tmp_path)
    assert DA_LOC_CELL in text
    assert "Lộc Sơn" not in text and not any(cell in text for cell in LOC_SON_CELLS)
    # another commune's name is unknown to this account, as on the pages
    other = tmp_path / "other.pdf"
    code, out, err = run(
        "--month", "2025-04", "--user", "xa.da.loc", "--commune", "Lộc Sơn", "--format", "pdf", "--out", str(other)
    )
    assert (code, out) == (2, "")
    assert err == "error: unknown commune: 'Lộc Sơn'\n"
    assert not other.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--month", "2199-01"), "error: 2199-01 is in the future"),
        (("--month", "2025-13"), "error: --month expects a month as YYYY-MM, got '2025-13'"),
        (("--month", "2024-06"), "error: no meeting is recorded in 2024-06"),
        (
            ("--month", "2025-04", "--commune", "Lộc Sơnn"),
            "error: unknown commune: 'Lộc Sơnn' (did you mean 'Lộc Sơn'?)",
        ),
        (("--month", "2025-04", "--organisation", "Nowhere"), "error: unknown organisation: 'Nowhere'"),
        (("--month", "2025-04", "--user", "nobody"), "error: no account named 'nobody'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_and_no_file(
    configured: Engine, district: dict[str, int], tmp_path: Path, argv: tuple[str, ...], message: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = run(*argv, "--format", "pdf", "--out", str(folder / "b.pdf"))
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_a_missing_folder_is_refused_before_any_work(
    configured: Engine, district: dict[str, int], tmp_path: Path
) -> None:
    code, _, err = run("--month", "2025-04", "--format", "docx", "--out", str(tmp_path / "no" / "b.docx"))
    assert code == 2
    assert err.startswith("error: --out: the folder")
