"""Vietnamese order in every metric table, on SQLite and PostgreSQL: Đ comes after D and before E, not after Z.

Both databases compare bytes ("Đ" is U+0110, after "Z"), so the order is made in Python with vn_key; this checks
that no metric table keeps the database's order. Each commune has one organisation with one cell, and all the
activity every metric counts (the inspection and a rating are of its cell), so every table has one row per commune.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import metrics
from data_access.filters import EVERYTHING, Filters, Month
from tests import factories as f
from tests.db_templates import seeded

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL

# Inserted in byte order (the order a database returns them in without ORDER BY tricks); expected in Vietnamese
# order: D < Đ < E, and diacritics on later letters do not move a name before its first letter.
COMMUNES_AS_STORED = ("Dân Lực", "Eo Lộc", "Zê", "Đa Lộc")
VIETNAMESE_ORDER = ["Dân Lực", "Đa Lộc", "Eo Lộc", "Zê"]
FILTERS = Filters(period_from=Month.parse("2025-01"), period_to=Month.parse("2025-03"), as_of=dt.date(2025, 4, 30))


@pytest.fixture
def four_communes(engine: Engine) -> None:
    seeded(engine, "four_communes", _four_communes)


def _four_communes(engine: Engine) -> None:
    with Session(engine) as s:
        topic = f.topic(s, "Đoàn kết", "Unity")
        for code, name in enumerate(COMMUNES_AS_STORED):
            where = f.commune(s, name, f"C{code}")
            org = f.organisation(s, f"Đảng bộ xã {name}", where)
            cell = f.cell(s, f"Chi bộ {name}", org, 3, 10)
            f.meeting(s, cell, "2025-01-03", (10, 0, 9, 1, 0), superior=True)
            f.meeting(s, cell, "2025-02-03", (10, 0, 8, 1, 1), kind="combined", about=topic)
            f.inspection(s, org, "2025-02-10", "satisfactory", concluded_on="2025-02-20", cell_id=cell.id)
            f.rating(s, org, 2025, "good")
            f.rating(s, org, 2025, "good", of_cell=cell)
        s.commit()


def _names(engine: Engine, metric: str, by: str) -> list[str]:
    df = metrics.compute(metric, engine, filters=FILTERS, scope=EVERYTHING, by=by)
    return list(df[by])


@pytest.mark.parametrize("metric", [m for m, spec in metrics.METRICS.items() if "commune" in spec.groups])
def test_every_metric_by_commune_puts_d_stroke_after_d_and_before_e(engine: Engine, four_communes, metric: str) -> None:
    assert _names(engine, metric, "commune") == VIETNAMESE_ORDER


@pytest.mark.parametrize("metric", [m for m, spec in metrics.METRICS.items() if "organisation" in spec.groups])
def test_every_metric_by_organisation_puts_d_stroke_after_d_and_before_e(
    engine: Engine, four_communes, metric: str
) -> None:
    assert _names(engine, metric, "organisation") == [f"Đảng bộ xã {name}" for name in VIETNAMESE_ORDER]


@pytest.mark.parametrize("metric", [m for m, spec in metrics.METRICS.items() if "cell" in spec.groups])
def test_every_metric_by_cell_puts_d_stroke_after_d_and_before_e(engine: Engine, four_communes, metric: str) -> None:
    assert _names(engine, metric, "cell") == [f"Chi bộ {name}" for name in VIETNAMESE_ORDER]
