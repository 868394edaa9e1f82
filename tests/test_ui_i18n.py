"""The catalogue: every key in both languages, every stored code has a label, pages ask only for known keys."""

from __future__ import annotations

import ast
from pathlib import Path

from data_access import models
from data_access.metrics import METRICS
from ui.i18n import CATALOGUE, t, vocab_label

ROOT = Path(__file__).resolve().parent.parent


def test_every_key_has_vietnamese_and_english() -> None:
    missing = [k for k, v in CATALOGUE.items() if not (v.get("vi", "").strip() and v.get("en", "").strip())]
    assert missing == []


def test_every_stored_code_has_a_label() -> None:
    vocabularies = {
        "organisation_kind": models.ORGANISATION_KINDS,
        "cell_kind": models.CELL_KINDS,
        "sector": models.SECTORS,
        "meeting_kind": models.MEETING_KINDS,
        "quality": models.QUALITY_LEVELS,
        "inspection_kind": models.INSPECTION_KINDS,
        "outcome": models.OUTCOMES,
        "rating": models.RATING_LEVELS,
    }
    missing = [f"{v}.{c}" for v, codes in vocabularies.items() for c in codes if f"{v}.{c}" not in CATALOGUE]
    assert missing == []


def test_every_metric_column_has_a_header() -> None:
    columns = {c for spec in METRICS.values() for c in spec.columns}
    assert sorted(c for c in columns if f"col.{c}" not in CATALOGUE) == []


def test_the_party_terms() -> None:
    assert vocab_label("rating", "excellent", lang="vi") == "Hoàn thành xuất sắc nhiệm vụ"
    assert vocab_label("meeting_kind", "thematic", lang="vi") == "Sinh hoạt chuyên đề"
    assert t("kpi.participation_rate", lang="vi") == "Tỷ lệ đảng viên tham gia sinh hoạt"


def test_code_asks_only_for_keys_in_the_catalogue() -> None:
    """Every literal key passed to t() in ui/, views/ and app.py exists (keys built at run time are covered by
    the page tests, which run every page in both languages)."""
    unknown = []
    for path in [ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "views").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and arg.value not in CATALOGUE:
                    unknown.append(f"{path.name}: {arg.value}")
            for kw in getattr(node, "keywords", []):
                named_key = kw.arg in ("title", "chart_title", "definition_key", "label_key") and isinstance(
                    kw.value, ast.Constant
                )
                if named_key and kw.value.value not in CATALOGUE:  # type: ignore[attr-defined]
                    unknown.append(f"{path.name}: {kw.value.value}")  # type: ignore[attr-defined]
    assert unknown == []
