"""What every browser test shares: Debian's Chromium, the real `streamlit run` server, and when they may be missing.

Locally a test that needs them skips with the reason when Chromium, Playwright or the streamlit command is
missing; in CI (CI=true) that is a failure (never download a browser: ../shared/FIELD-NOTES.md).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
STREAMLIT = Path(sys.executable).parent / "streamlit"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def missing_browser() -> str | None:
    """Why a browser test cannot run here (None when it can)."""
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (Debian package chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (requirements-dev.txt)"
    if not STREAMLIT.exists():
        return f"the streamlit command is not installed next to {sys.executable}"
    return None


def require_browser() -> None:
    """Skip (locally) or fail (in CI) the calling test when the browser cannot run."""
    reason = missing_browser()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"browser tests are required in CI and cannot run: {reason}")
    pytest.skip(f"browser test skipped: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_streamlit(
    script: Path, *, env: Mapping[str, str], folder: Path, start_seconds: float = 60
) -> Iterator[str]:
    """`streamlit run script` on a free loopback port until the block ends; yields its URL.

    The server's output goes to `folder/streamlit.log`, whose end is shown if the server does not start.
    """
    port = free_port()
    command = [str(STREAMLIT), "run", str(script), "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log_path = folder / "streamlit.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + start_seconds
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Streamlit server did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)  # polling a server start, not waiting in a UI
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
