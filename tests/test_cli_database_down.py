"""The command line with a database that cannot be reached: one line on stderr, nothing on stdout, exit code 3."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("command", [["init"], ["export", "regularity"], ["stats"], ["users", "list"]])
def test_an_unreachable_postgresql_server_is_one_line_and_exit_3(command: list[str], tmp_path: Path) -> None:
    env = dict(
        os.environ,
        DATABASE_URL=f"postgresql+psycopg://dashboard@127.0.0.1:{_closed_port()}/dashboard",
        DASHBOARD_SECRETS=str(tmp_path / "none.toml"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "data_access", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: cannot connect to the database: connection failed:")
    assert "Traceback" not in result.stderr
