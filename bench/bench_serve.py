"""The real server at province scale, seen from Chromium: its memory with 10 sessions, and page-click-to-charts time.

    python bench/bench_serve.py [--scale province] [--sessions 10] [--rounds 3]

The tier is the cached SQLite demo (bench/tiers.py), copied to a temporary file so the server's writes (migrations,
the benchmark account, sessions) never touch the cache. Each server is `streamlit run app.py` with DEMO_MODE=0, a
random SECRET_KEY and one district account made by `python -m data_access users add bench.district --role district
--generate`. Chromium is Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser). Every session
opens the app with `?as_of=<the tier's as-of date>`: the tier's data ends there, so today's default 12 months would
be empty and the pages would draw no charts at all.

1. Page time: per round a fresh server (so Streamlit's cache is empty) and one signed-in session. The first visit of
   a page is "cold", the second "warm". The time runs from the click on the page's sidebar link (for the landing
   Overview, cold: from the click on the sign-in button) until the page's title is shown, every plotly chart has
   drawn its SVG and the script is no longer running (no stale element left). Median over --rounds.
2. Memory: one more fresh server; --sessions browser contexts in one Chromium sign in at once, each lands on the
   Overview and then opens one more page (the other views in turn). The server's resident memory (VmRSS summed over
   its process tree, from /proc) is read before the first session, after all are drawn, and sampled every 0.1 s
   in between for the peak.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import tiers  # noqa: E402
from tests.e2e import driver  # noqa: E402
from ui.i18n import t  # noqa: E402

PYTHON = Path(sys.executable)
STREAMLIT = PYTHON.parent / "streamlit"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1400, "height": 1000}
USERNAME = "bench.district"
TARGET_MB = 600
TARGET_SECONDS = 1.5
PAGE_IDS = list(driver.PAGES)  # app.py VIEW_PAGES order; the district role sees all of them
_SETTINGS_VARIABLES = ("DATABASE_URL", "DEMO_MODE", "TARGET_PARTICIPATION", "DASHBOARD_LANGUAGE", "SECRET_KEY")
# The page's run is over: its title is the expected one, the script is no longer running, no stale element is left.
_RUN_OVER_JS = """([title]) => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid=stElementContainer][data-stale=true]')) return false;
    const h1 = document.querySelector('[data-testid=stMain] h1');
    return Boolean(h1) && h1.innerText.trim() === title;
}"""
# ... and every plotly chart has drawn its SVG (the chart code renders after the run's elements arrive).
_CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
    .every(chart => chart.querySelector('.js-plotly-plot .main-svg'))"""
_CHART_COUNT_JS = "() => document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot .main-svg').length"
_SCOPE_JS = "() => document.querySelector('[data-testid=stMain] [data-testid=stCaptionContainer]')?.innerText.trim()"
TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(*, database_url: str, secret_key: str, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    return env | {
        "DATABASE_URL": database_url,
        "DEMO_MODE": "0",
        "DASHBOARD_LANGUAGE": "vi",
        "SECRET_KEY": secret_key,
        "DASHBOARD_SECRETS": str(folder / "no-secrets.toml"),
    }


def _add_account(env: dict[str, str]) -> str:
    """Make the district account on the server's database; the password the command printed once."""
    command = [str(PYTHON), "-m", "data_access", "users", "add", USERNAME, "--role", "district", "--generate"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    found = re.search(r"password \(shown once\): (\S+)", done.stdout)
    if found is None:
        raise RuntimeError(f"no password in the output of users add:\n{done.stdout}\n{done.stderr}")
    return found.group(1)


@contextmanager
def running_server(*, source: Path, folder: Path) -> Iterator[Server]:
    """A fresh copy of the tier, its account, and `streamlit run app.py` on it until the block ends."""
    database = folder / "serve.sqlite3"
    shutil.copyfile(source, database)
    env = _environment(database_url=f"sqlite:///{database}", secret_key=secrets.token_urlsafe(36), folder=folder)
    password = _add_account(env)
    port = _free_port()
    command = [str(STREAMLIT), "run", str(ROOT / "app.py"), "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log_path = folder / "streamlit.log"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)  # polling a server start
        yield Server(url=url, pid=proc.pid, password=password)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def rss_mb(pid: int) -> float:
    """VmRSS of `pid` and its descendants, in MB (MiB)."""
    total_kb = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total_kb += int(found.group(1)) if found else 0
        stack.extend(_children(current))
    return total_kb / 1024


class PeakSampler:
    """The highest RSS of the process tree, sampled every 0.1 s in a thread until `stop()`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = rss_mb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, rss_mb(self.pid))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))
        return self.peak


def _title(page_id: str) -> str:
    return t(driver.PAGES[page_id][1], lang="vi")


def wait_drawn(page: object, page_id: str) -> float:
    """Wait until the page's run is over and its charts are drawn; the moment (perf_counter) the run was over."""
    page.wait_for_function(_RUN_OVER_JS, arg=[_title(page_id)], timeout=TIMEOUT_MS, polling=50)
    run_over = time.perf_counter()
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=TIMEOUT_MS, polling=50)
    if not page.evaluate(_RUN_OVER_JS, [_title(page_id)]):  # a rerun started meanwhile: wait for it too
        page.wait_for_function(_RUN_OVER_JS, arg=[_title(page_id)], timeout=TIMEOUT_MS, polling=50)
        page.wait_for_function(_CHARTS_DRAWN_JS, timeout=TIMEOUT_MS, polling=50)
    return run_over


def start_sign_in(page: object, url: str, password: str) -> None:
    page.goto(f"{url}?as_of={tiers.AS_OF.isoformat()}")  # the tier's data ends at its as-of date, not today
    page.get_by_label(t("auth.username", lang="vi")).fill(USERNAME)
    page.get_by_label(t("auth.password", lang="vi")).fill(password)


def click_sign_in(page: object) -> None:
    page.get_by_role("button", name=t("auth.submit", lang="vi")).click()


def click_page(page: object, page_id: str) -> None:
    nav = page.get_by_test_id("stSidebar").get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name=t(driver.PAGES[page_id][0], lang="vi"), exact=True).click()


Timing = dict[str, tuple[float, float]]  # page id -> (seconds to the run's end, seconds to the charts drawn)


def timed_visits(browser: object, server: Server) -> tuple[Timing, Timing, dict[str, tuple[int, int]], str]:
    """One session on a fresh server: every page cold, then every page warm; seconds per page (run over, charts
    drawn), per page its chart count and the bytes of its warm visit, and the scope line the Overview showed (to see that the view holds the tier's data)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    received = [0]  # bytes the server sent over the session's websocket (the page's elements, figures included)

    def on_websocket(socket: object) -> None:
        socket.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

    page.on("websocket", on_websocket)
    sent: dict[str, int] = {}
    cold: Timing = {}
    warm: Timing = {}
    charts: dict[str, int] = {}
    start_sign_in(page, server.url, server.password)
    started = time.perf_counter()
    click_sign_in(page)
    run_over = wait_drawn(page, "overview")
    cold["overview"] = (run_over - started, time.perf_counter() - started)
    charts["overview"] = page.evaluate(_CHART_COUNT_JS)
    scope = str(page.evaluate(_SCOPE_JS))
    for visits, order in ((cold, PAGE_IDS[1:]), (warm, PAGE_IDS[1:] + PAGE_IDS[:1])):
        for page_id in order:
            started = time.perf_counter()
            bytes_before = received[0]
            click_page(page, page_id)
            run_over = wait_drawn(page, page_id)
            visits[page_id] = (run_over - started, time.perf_counter() - started)
            sent[page_id] = received[0] - bytes_before
            charts[page_id] = page.evaluate(_CHART_COUNT_JS)
    context.close()
    charts = {page_id: (charts[page_id], sent[page_id]) for page_id in charts}
    return cold, warm, charts, scope


def memory_run(browser: object, server: Server, *, sessions: int) -> tuple[float, float, float, float]:
    """RSS before, after `sessions` signed-in sessions drew two pages each, the peak, and the wall time (s)."""
    before = rss_mb(server.pid)
    sampler = PeakSampler(server.pid)
    started = time.perf_counter()
    contexts = [browser.new_context(viewport=DESKTOP) for _ in range(sessions)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        start_sign_in(page, server.url, server.password)
    for page in pages:  # all sign in at once: the server runs the ten Overviews together
        click_sign_in(page)
    for page in pages:
        wait_drawn(page, "overview")
    others = PAGE_IDS[1:]
    for number, page in enumerate(pages):
        click_page(page, others[number % len(others)])
    for number, page in enumerate(pages):
        wait_drawn(page, others[number % len(others)])
    elapsed = time.perf_counter() - started
    after = rss_mb(server.pid)
    peak = sampler.stop()
    for context in contexts:
        context.close()
    return before, after, peak, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province", choices=["district", "province"])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="also write the results to this file (bench/results/ keeps earlier runs' files: name a new one)",
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    log: list[str] = []
    tiers.sqlite_tier(args.scale, log).dispose()  # builds or validates the cached tier
    source = tiers.CACHE / f"{args.scale}.sqlite3"
    lines = [f"bench_serve: scale={args.scale} sessions={args.sessions} rounds={args.rounds}", *log]
    colds: dict[str, list[tuple[float, float]]] = {page_id: [] for page_id in PAGE_IDS}
    warms: dict[str, list[tuple[float, float]]] = {page_id: [] for page_id in PAGE_IDS}
    load_before = os.getloadavg()[0]
    charts: dict[str, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for number in range(args.rounds):
            folder = Path(scratch) / f"round{number}"
            folder.mkdir()
            with running_server(source=source, folder=folder) as server:
                cold, warm, charts, scope = timed_visits(browser, server)
            for page_id in PAGE_IDS:
                colds[page_id].append(cold[page_id])
                warms[page_id].append(warm[page_id])
            shown = " ".join(f"{p}={cold[p][1]:.2f}/{warm[p][1]:.2f}" for p in PAGE_IDS)
            print(f"round {number + 1} (cold/warm s): {shown}", flush=True)
        folder = Path(scratch) / "memory"
        folder.mkdir()
        with running_server(source=source, folder=folder) as server:
            before, after, peak, elapsed = memory_run(browser, server, sessions=args.sessions)
        browser.close()
    load_after = os.getloadavg()[0]

    lines.append(f"view: {scope}")
    lines.append(
        f"machine: {os.cpu_count()} cores, 1-min load average {load_before:.1f} at start, {load_after:.1f} at end"
    )
    lines.append("")
    lines.append(f"page click -> charts drawn, Chromium, median of {args.rounds} (target <= {TARGET_SECONDS} s)")
    lines.append("(run = until the script's run is over and its elements are on the page; drawn = plotly charts too)")
    lines.append("(KB = what the server sent over the websocket for the warm visit)")
    lines.append(
        f"{'page':<16}{'charts':>7}{'KB':>7}{'cold run':>10}{'cold drawn':>12}{'warm run':>10}{'warm drawn':>12}"
    )
    for page_id in PAGE_IDS:
        medians = [
            statistics.median(visit[part] for visit in visits[page_id]) for visits in (colds, warms) for part in (0, 1)
        ]
        shown = "".join(f"{value:>{width}.2f}" for value, width in zip(medians, (10, 12, 10, 12), strict=True))
        count, size = charts[page_id]
        lines.append(f"{page_id:<16}{count:>7}{size / 1024:>7.0f}{shown}")
    lines.append("(overview cold = sign-in click -> overview drawn, the landing page)")
    lines.append("")
    lines.append(f"server RSS with {args.sessions} sessions (process tree VmRSS, MiB; target < {TARGET_MB})")
    lines.append(f"before {before:.0f}  after {after:.0f}  peak {peak:.0f}  (sessions drawn in {elapsed:.1f} s)")
    text = "\n".join(lines)
    print(text)
    if args.out is not None:  # never over an earlier run's file by default: the README cites them
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
