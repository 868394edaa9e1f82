"""Benchmark of a units file that changes one cell's meeting day, imported into a copy of a demo database.

    python bench/bench_units_import.py DATABASE.sqlite3 [--repeat 3] [--checkout DIR ...]

Copies the SQLite database to a temporary folder (the original is never written), exports its units with
`python -m data_access export-data units`, then times `python -m data_access import units FILE` run from each
checkout (default: this one; give `--checkout /work/main --checkout .` to compare before and after a change):
once with the file as exported (every row unchanged: reading, checking and matching only) and `--repeat` times
with the first cell's meeting day changed (one row updated: what the derived tables' refresh adds). Each changed
run moves the day to another value, so every run writes. Prints the median wall time of each, in seconds, with
the process start included (about a second for the imports of pandas and SQLAlchemy).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(checkout: Path, database: Path, *args: str) -> tuple[float, str]:
    """Run `python ARGS` from `checkout` against `database`; the wall time and the output."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DASHBOARD_SECRETS": str(database.parent / "no-secrets.toml"),
    }
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=checkout, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {checkout}:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout + done.stderr


def cli(checkout: Path, database: Path, *args: str) -> tuple[float, str]:
    """`python -m data_access ARGS` from `checkout` against `database`."""
    return run(checkout, database, "-m", "data_access", *args)


DIFFERENCES = (
    "from data_access import aggregates, db, settings; "
    "print(aggregates.differences(db.engine_from_settings(settings.load_settings())))"
)


def with_meeting_day(units: str, day: int) -> str:
    """The units file with the first cell's meeting day set to `day`."""
    rows = list(csv.reader(io.StringIO(units)))
    column = rows[0].index("meeting_day")
    rows[1][column] = str(day)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path, help="a demo SQLite database (copied, never written)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checkout", type=Path, action="append", help="a checkout to run the CLI from (repeatable)")
    parser.add_argument("--check", action="store_true", help="then count the derived rows that differ from a rebuild")
    args = parser.parse_args()
    checkouts = [c.resolve() for c in args.checkout or [ROOT]]
    with tempfile.TemporaryDirectory() as folder:
        for checkout in checkouts:
            database = Path(folder) / "bench.sqlite3"
            shutil.copyfile(args.database, database)
            exported = Path(folder) / "units.csv"
            cli(checkout, database, "export-data", "units", "--output", str(exported))
            units = exported.read_text(encoding="utf-8-sig")
            table = list(csv.reader(io.StringIO(units)))
            first_day = int(table[1][table[0].index("meeting_day")])
            unchanged, output = cli(checkout, database, "import", "units", str(exported), "--lang", "en")
            changed: list[float] = []
            for attempt in range(args.repeat):
                day = (first_day + attempt) % 28 + 1  # another day each run (1..28)
                edited = Path(folder) / f"units-{attempt}.csv"
                edited.write_text(with_meeting_day(units, day), encoding="utf-8")
                seconds, output = cli(checkout, database, "import", "units", str(edited), "--lang", "en")
                changed.append(seconds)
            print(f"{checkout}: {len(table) - 1:,} cells in the units file")
            print(f"  import, nothing changed      {unchanged:7.2f} s")
            print(
                f"  import, one meeting day      {statistics.median(changed):7.2f} s  (median of {len(changed)}: "
                f"{', '.join(f'{s:.2f}' for s in changed)})"
            )
            print(f"  last report: {output.strip().splitlines()[-1]}")
            if args.check:
                print(
                    f"  derived rows differing from a rebuild: {run(checkout, database, '-c', DIFFERENCES)[1].strip()}"
                )
            database.unlink()


if __name__ == "__main__":
    main()
