"""Two dashboard processes read one PostgreSQL database while a third process imports a large file into it.

The import commits once, at the end, so a reader sees the database before the file or after it, never part of it:
every number each dashboard process observed is either the "before" or the "after" value, and each of them saw both.
The file has 3,000 meetings, more than one write chunk of the import, so a non-atomic import would be seen half done.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.import_factories import seed_units
from tests.test_import_concurrency import _many_meetings

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
MEETINGS_IN_FILE = 3000


def _observations(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _one_read(env: dict[str, str], stop_file: Path) -> str:
    """What a dashboard process reads now: the first line of tests.dashboard_reader."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.dashboard_reader", str(stop_file)], cwd=ROOT, env=env, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode("utf-8").strip()
    stop_file.touch()
    proc.wait(timeout=60)
    stop_file.unlink()
    return line


def _wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds:.0f} s")
        time.sleep(0.05)  # polling other processes' output files, not waiting in a UI


def test_dashboards_reading_during_an_import_see_before_or_after_never_half(pg_engine: Engine, tmp_path: Path) -> None:
    seed_units(pg_engine)
    file = tmp_path / "meetings.csv"
    file.write_bytes(_many_meetings(MEETINGS_IN_FILE // 2))
    env = dict(
        os.environ,
        DATABASE_URL=pg_engine.url.render_as_string(hide_password=False),
        DEMO_MODE="0",
        DASHBOARD_SECRETS=str(tmp_path / "none.toml"),
    )
    before = _one_read(env, tmp_path / "stop-probe")

    stop = tmp_path / "stop"
    outputs = [tmp_path / f"dashboard-{n}.jsonl" for n in (1, 2)]
    readers = []
    for output in outputs:
        with output.open("w") as sink:
            readers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.dashboard_reader", str(stop)], cwd=ROOT, env=env, stdout=sink
                )
            )
    try:
        _wait_for(lambda: all(_observations(o) for o in outputs), seconds=60, what="both dashboards read")
        imported = subprocess.run(
            [sys.executable, "-m", "data_access", "import", "meetings", str(file)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert imported.returncode == 0, imported.stderr
        after = _one_read(env, tmp_path / "stop-probe")
        _wait_for(
            lambda: all(after in _observations(o) for o in outputs), seconds=60, what="both dashboards saw the import"
        )
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)

    assert json.loads(before)["meetings"] == 0
    assert json.loads(after)["meetings"] == MEETINGS_IN_FILE
    assert json.loads(after)["participation"][0]["meetings"] == MEETINGS_IN_FILE
    for output in outputs:
        reads = [json.loads(line) for line in _observations(output)]
        for field in ("meetings", "participation"):  # two reads, two snapshots: each one is before or after
            seen = [json.dumps(read[field]) for read in reads]
            then, now = json.dumps(json.loads(before)[field]), json.dumps(json.loads(after)[field])
            assert set(seen) == {then, now}, f"{output.name} {field}: {sorted(set(seen) - {then, now})[:3]}"
            first_after = seen.index(now)
            assert set(seen[first_after:]) == {now}  # once the import is visible it stays visible
            print(f"{output.name} {field}: {first_after} reads before the import, {len(seen)} in all")
