"""The real server, seen from Chromium: page-click-to-charts time, server and browser CPU, memory with 10 viewers.

    python bench/bench_serve.py [--scale district|province] [--sessions 10] [--rounds 3] \
        [--app before=/tmp/copy-of-main --app after=.] [--out bench/results/<date>-serve-<subject>.txt]

Several `--app NAME=FOLDER` serve the same tier from different checkouts (each folder's own `app.py` and
`.streamlit/config.toml`), round by round in turn, so a before and an after share the machine's load.

The tier is the cached SQLite demo (bench/tiers.py), copied to a temporary file so the server's writes (migrations,
the benchmark account, sessions) never touch the cache. Each server is `streamlit run app.py` with DEMO_MODE=0, a
random SECRET_KEY and one district account made by `python -m data_access users add bench.district --role district
--generate`. Chromium is Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser). Every session
opens the app with `?as_of=<the tier's as-of date>`: the tier's data ends there, so today's default 12 months would
be empty and the pages would draw no charts at all.

1. Page time: per round a fresh server (so Streamlit's cache is empty) and one signed-in session. The first visit of
   a page is "cold", the second "warm". The time runs from the click on the page's sidebar link (for the landing
   Overview, cold: from the click on the sign-in button) until the page's title is shown, every plotly chart has
   drawn its SVG and the script is no longer running (no stale element left). Median over --rounds. For each warm
   visit also the server's CPU (user + system time of its process, from /proc) and Chromium's (the page's
   renderer main thread, CDP `Performance.getMetrics` TaskDuration), and the bytes sent over the websocket.
   Then on the Overview a click on a commune of the ranking (first with its data not yet cached, then again after a
   reload), and a second viewer's sign-in on the warm server (the first page after sign-in).
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
from data_access import auth  # noqa: E402
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
TARGET_SECONDS = 0.5
TARGET_SERVER_CPU = 0.1
CLICKED_COMMUNE_INDEX = 0  # the worst commune: the ranking's first dot from the top is its last point
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
# ... and every plotly chart on show has drawn its SVG (the chart code renders after the run's elements arrive; a
# chart in a closed expander is not on show and may wait for the expander to open).
_CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
    .filter(chart => chart.offsetParent !== null)
    .every(chart => chart.querySelector('.js-plotly-plot .main-svg'))"""
_CHART_COUNT_JS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
    .filter(chart => chart.querySelector('.js-plotly-plot .main-svg')).length"""  # plotly draws 3 SVGs a chart
_SCOPE_JS = "() => document.querySelector('[data-testid=stMain] [data-testid=stCaptionContainer]')?.innerText.trim()"
TIMEOUT_MS = 120_000
SIGN_IN_WAVE = auth.MAX_FAILED_ATTEMPTS - 1
MEMORY_TIMEOUT_MS = 900_000  # ten viewers signing in at once on a fresh server, on a loaded machine


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


def _add_account(env: dict[str, str], app: Path) -> str:
    """Make the district account on the server's database; the password the command printed once."""
    command = [str(PYTHON), "-m", "data_access", "users", "add", USERNAME, "--role", "district", "--generate"]
    done = subprocess.run(command, cwd=app, env=env, capture_output=True, text=True, timeout=120, check=True)
    found = re.search(r"password \(shown once\): (\S+)", done.stdout)
    if found is None:
        raise RuntimeError(f"no password in the output of users add:\n{done.stdout}\n{done.stderr}")
    return found.group(1)


@contextmanager
def running_server(*, source: Path, folder: Path, app: Path = ROOT) -> Iterator[Server]:
    """A fresh copy of the tier, its account, and `streamlit run app.py` of the checkout `app` on it until the block
    ends (run from that folder, so its `.streamlit/config.toml` counts)."""
    database = folder / "serve.sqlite3"
    shutil.copyfile(source, database)
    env = _environment(database_url=f"sqlite:///{database}", secret_key=secrets.token_urlsafe(36), folder=folder)
    env["PYTHONPATH"] = str(app)
    password = _add_account(env, app)
    port = _free_port()
    command = [str(STREAMLIT), "run", str(app / "app.py"), "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log_path = folder / "streamlit.log"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(command, cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT)
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


def wait_drawn(page: object, page_id: str, *, timeout_ms: int = TIMEOUT_MS) -> float:
    """Wait until the page's run is over and its charts are drawn; the moment (perf_counter) the run was over."""
    page.wait_for_function(_RUN_OVER_JS, arg=[_title(page_id)], timeout=timeout_ms, polling=50)
    run_over = time.perf_counter()
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout_ms, polling=50)
    if not page.evaluate(_RUN_OVER_JS, [_title(page_id)]):  # a rerun started meanwhile: wait for it too
        page.wait_for_function(_RUN_OVER_JS, arg=[_title(page_id)], timeout=timeout_ms, polling=50)
        page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout_ms, polling=50)
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process `pid` so far (its threads included), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Visit:
    """One timed action: seconds to the run's end and to the charts drawn, the server's and Chromium's CPU seconds
    meanwhile, the bytes the server sent, and the charts on show after it."""

    run: float
    drawn: float
    server_cpu: float
    browser_cpu: float
    sent: int
    charts: int
    from_click: float = float("nan")
    """Seconds from the page's `pointerdown` (the click itself, after Playwright's checks) to the charts drawn."""


class Viewer:
    """A signed-in browser page on one server, with its websocket bytes and its renderer's CDP metrics."""

    def __init__(self, browser: object, server: Server) -> None:
        self.server = server
        self.context = browser.new_context(viewport=DESKTOP)
        self.page = self.context.new_page()
        self.received = 0
        self.page.on("websocket", self._on_websocket)
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable")
        self.page.add_init_script(_CLICK_CLOCK_JS)

    def _on_websocket(self, socket: object) -> None:
        socket.on("framereceived", self._count)

    def _count(self, payload: object) -> None:
        self.received += len(payload)

    def browser_cpu(self) -> float:
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return next(float(m["value"]) for m in metrics if m["name"] == "TaskDuration")

    def timed(self, action: object, page_id: str, *, changed: str | None = None) -> Visit:
        """Do `action()` (a click) and wait until `page_id` is drawn (and the script `changed`, when given, is true:
        a click that stays on the page would otherwise find it drawn before its rerun began); what it cost."""
        server_before, browser_before, bytes_before = cpu_seconds(self.server.pid), self.browser_cpu(), self.received
        self.page.evaluate("() => { window.__clickedAt = null; }")
        started = time.perf_counter()
        action()
        if changed is not None:
            self.page.wait_for_function(changed, timeout=TIMEOUT_MS, polling=50)
        run_over = wait_drawn(self.page, page_id)
        drawn = time.perf_counter()
        drawn_wall = time.time()
        clicked_at = self.page.evaluate("() => window.__clickedAt")
        self.page.wait_for_timeout(300)  # let the last frames' work land in the counters, outside the timed span
        return Visit(
            run=run_over - started,
            drawn=drawn - started,
            server_cpu=cpu_seconds(self.server.pid) - server_before,
            browser_cpu=self.browser_cpu() - browser_before,
            sent=self.received - bytes_before,
            charts=int(self.page.evaluate(_CHART_COUNT_JS)),
            from_click=drawn_wall - clicked_at / 1000 if clicked_at else float("nan"),
        )

    def close(self) -> None:
        self.context.close()


# The moment of the last click, as the page saw it (epoch ms): Playwright's checks before a click are not the reader's.
_CLICK_CLOCK_JS = """document.addEventListener('pointerdown', () => {
    window.__clickedAt = performance.timeOrigin + performance.now();
}, true);"""
# Every element of the page has drawn: its charts (as many as the page drew before) and its KPI cards. After a reload
# the page's run can be over while Streamlit still loads and starts the code of its charts and cards.
_ALL_DRAWN_JS = """([charts]) => document.querySelectorAll('[data-testid=stMetric]').length > 0
    && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
        .filter(chart => chart.querySelector('.js-plotly-plot .main-svg')).length >= charts"""
SETTLE_MS = 1000  # after a reload, a reader looks at the page before clicking

# After a commune click the Overview's ranking holds one dot: the commune clicked.
_ONE_COMMUNE_JS = """() => document.querySelector('[data-testid=stPlotlyChart]')
    ?.querySelectorAll('.js-plotly-plot .scatterlayer .point').length === 1"""


def click_commune(page: object) -> None:
    """Click a dot of the Overview's ranking (the worst commune's), where it is drawn, as a mouse does."""
    ranking = page.get_by_test_id("stPlotlyChart").first
    dots = ranking.locator(".js-plotly-plot .scatterlayer .point")
    dot = dots.nth(dots.count() - 1 - CLICKED_COMMUNE_INDEX)
    dot.scroll_into_view_if_needed()
    box = dot.bounding_box()
    if box is None:
        raise RuntimeError("the ranking's dot is not on screen")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _back_to_all_communes(viewer: Viewer, *, charts: int) -> None:
    """A reload at the bench's starting URL: the same signed-in viewer (cookie), every commune, the Overview, drawn
    in full (its `charts` charts and its cards), and a moment to look at it."""
    viewer.page.goto(f"{viewer.server.url}?as_of={tiers.AS_OF.isoformat()}")
    wait_drawn(viewer.page, "overview")
    viewer.page.wait_for_function(_ALL_DRAWN_JS, arg=[charts], timeout=TIMEOUT_MS, polling=100)
    viewer.page.wait_for_timeout(SETTLE_MS)


@dataclass
class Round:
    cold: dict[str, Visit]
    warm: dict[str, Visit]
    clicks: dict[str, Visit]  # "commune (data not cached)", "commune (cached)", "sign-in (warm server)"
    scope: str


def timed_visits(browser: object, server: Server) -> Round:
    """One viewer on a fresh server: every page cold, then every page warm, then a commune click twice; then a
    second viewer's sign-in on the now warm server."""
    viewer = Viewer(browser, server)
    start_sign_in(viewer.page, server.url, server.password)
    cold = {"overview": viewer.timed(lambda: click_sign_in(viewer.page), "overview")}
    scope = str(viewer.page.evaluate(_SCOPE_JS))
    warm: dict[str, Visit] = {}
    for visits, order in ((cold, PAGE_IDS[1:]), (warm, PAGE_IDS[1:] + PAGE_IDS[:1])):
        for page_id in order:
            visits[page_id] = viewer.timed(lambda page_id=page_id: click_page(viewer.page, page_id), page_id)
    clicks = {
        "commune (data not cached)": viewer.timed(
            lambda: click_commune(viewer.page), "overview", changed=_ONE_COMMUNE_JS
        )
    }
    _back_to_all_communes(viewer, charts=warm["overview"].charts)
    clicks["commune (cached)"] = viewer.timed(lambda: click_commune(viewer.page), "overview", changed=_ONE_COMMUNE_JS)
    viewer.close()
    second = Viewer(browser, server)
    start_sign_in(second.page, server.url, server.password)
    clicks["sign-in (warm server)"] = second.timed(lambda: click_sign_in(second.page), "overview")
    second.close()
    return Round(cold=cold, warm=warm, clicks=clicks, scope=scope)


def memory_run(browser: object, server: Server, *, sessions: int) -> tuple[float, float, float, float]:
    """RSS before, after `sessions` signed-in sessions drew two pages each, the peak, and the wall time (s)."""
    before = rss_mb(server.pid)
    sampler = PeakSampler(server.pid)
    started = time.perf_counter()
    contexts = [browser.new_context(viewport=DESKTOP) for _ in range(sessions)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        start_sign_in(page, server.url, server.password)
    # The account takes at most MAX_FAILED_ATTEMPTS sign-ins at once (data_access.auth: each claims an attempt
    # before its password is checked; the sixth finds it locked), so they sign in in waves below that.
    for start in range(0, len(pages), SIGN_IN_WAVE):
        wave = pages[start : start + SIGN_IN_WAVE]
        for page in wave:  # the wave's Overviews run together on the server
            click_sign_in(page)
        for page in wave:
            wait_drawn(page, "overview", timeout_ms=MEMORY_TIMEOUT_MS)
    others = PAGE_IDS[1:]
    for number, page in enumerate(pages):
        click_page(page, others[number % len(others)])
    for number, page in enumerate(pages):
        wait_drawn(page, others[number % len(others)], timeout_ms=MEMORY_TIMEOUT_MS)
    elapsed = time.perf_counter() - started
    after = rss_mb(server.pid)
    peak = sampler.stop()
    for context in contexts:
        context.close()
    return before, after, peak, elapsed


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(name: str, rounds: list[Round], memory: tuple[float, float, float, float] | None) -> list[str]:
    """The medians of one app's rounds, and its memory run."""
    if not rounds:  # --rounds 0: the memory run only
        return [f"== {name}", *_memory_lines(memory)]
    lines = [f"== {name}", f"view: {rounds[0].scope}"]
    lines.append(
        f"{'page':<16}{'charts':>7}{'KB':>7}{'cold drawn':>11}{'warm run':>10}{'warm drawn':>11}"
        f"{'server CPU':>11}{'Chromium CPU':>13}{'from click':>11}"
    )
    for page_id in PAGE_IDS:
        warm = [r.warm[page_id] for r in rounds]
        row = (
            _median([r.cold[page_id].drawn for r in rounds]),
            _median([v.run for v in warm]),
            _median([v.drawn for v in warm]),
            _median([v.server_cpu for v in warm]),
            _median([v.browser_cpu for v in warm]),
            _median([v.from_click for v in warm]),
        )
        shown = "".join(f"{value:>{width}.2f}" for value, width in zip(row, (11, 10, 11, 11, 13, 11), strict=True))
        lines.append(f"{page_id:<16}{warm[-1].charts:>7}{_median([v.sent for v in warm]) / 1024:>7.0f}{shown}")
    per_page = [
        (_median([r.warm[p].drawn for r in rounds]), _median([r.warm[p].server_cpu for r in rounds])) for p in PAGE_IDS
    ]
    wall = _median([w for w, _ in per_page])
    cpu = _median([c for _, c in per_page])
    from_click = [_median([r.warm[p].from_click for r in rounds]) for p in PAGE_IDS]
    lines.append(
        f"median over the seven pages, warm switch: {wall:.2f} s drawn (target <= {TARGET_SECONDS}), "
        f"server CPU {cpu:.3f} s (target <= {TARGET_SERVER_CPU}); slowest page {max(w for w, _ in per_page):.2f} s"
    )
    lines.append(
        f"  the same from the click event: median {_median(from_click):.2f} s, slowest page {max(from_click):.2f} s"
    )
    lines.append("(overview cold = sign-in click -> overview drawn on a fresh server, the landing page)")
    for what in rounds[0].clicks:
        visits = [r.clicks[what] for r in rounds]
        lines.append(
            f"{what:<26} drawn {_median([v.drawn for v in visits]):.2f} s, run {_median([v.run for v in visits]):.2f}"
            f" s, server CPU {_median([v.server_cpu for v in visits]):.3f} s,"
            f" Chromium CPU {_median([v.browser_cpu for v in visits]):.2f} s, {_median([v.sent for v in visits]) / 1024:.0f} KB,"
            f" from click {_median([v.from_click for v in visits]):.2f} s"
        )
    return lines + _memory_lines(memory)


def _memory_lines(memory: tuple[float, float, float, float] | None) -> list[str]:
    if memory is None:
        return []
    before, after, peak, elapsed = memory
    return [
        f"server RSS with the viewers signed in (process tree VmRSS, MiB; target < {TARGET_MB})",
        f"before {before:.0f}  after {after:.0f}  peak {peak:.0f}  (all drawn in {elapsed:.1f} s)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="district", choices=["district", "province"])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--app",
        action="append",
        default=[],
        metavar="NAME=FOLDER",
        help="a checkout to serve (repeatable; default: this one, named 'this')",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="also write the results to this file (bench/results/ keeps earlier runs' files: name a new one)",
    )
    args = parser.parse_args()
    apps = {name: Path(folder).resolve() for name, folder in (a.split("=", 1) for a in args.app)} or {"this": ROOT}

    from playwright.sync_api import sync_playwright

    log: list[str] = []
    tiers.sqlite_tier(args.scale, log).dispose()  # builds or validates the cached tier
    source = tiers.CACHE / f"{args.scale}.sqlite3"
    lines = [f"bench_serve: scale={args.scale} sessions={args.sessions} rounds={args.rounds}", *log]
    lines += [f"app {name}: {folder}" for name, folder in apps.items()]
    rounds: dict[str, list[Round]] = {name: [] for name in apps}
    memory: dict[str, tuple[float, float, float, float]] = {}
    loads: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for number in range(args.rounds):
            for name, app in apps.items():
                folder = Path(scratch) / f"{name}-round{number}"
                folder.mkdir()
                load = os.getloadavg()[0]
                with running_server(source=source, folder=folder, app=app) as server:
                    done = timed_visits(browser, server)
                rounds[name].append(done)
                loads.append(f"{name} round {number + 1}: {load:.2f}")
                shown = " ".join(
                    f"{p}={done.warm[p].drawn:.2f}/{done.warm[p].from_click:.2f}/{done.warm[p].server_cpu:.3f}"
                    for p in PAGE_IDS
                )
                clicks = " ".join(f"{what}={v.drawn:.2f}/{v.from_click:.2f}" for what, v in done.clicks.items())
                print(
                    f"{name} round {number + 1}, load {load:.2f} (warm drawn s / from click s / server CPU s): {shown};"
                    f" {clicks}",
                    flush=True,
                )
        for name in apps:  # the timings first: a memory run that fails leaves them shown
            print("\n".join(report(name, rounds[name], None)), flush=True)
        for name, app in apps.items():
            folder = Path(scratch) / f"{name}-memory"
            folder.mkdir()
            with running_server(source=source, folder=folder, app=app) as server:
                memory[name] = memory_run(browser, server, sessions=args.sessions)
        browser.close()

    lines.append(f"machine: {os.cpu_count()} cores; 1-min load average at each round's start: " + ", ".join(loads))
    lines.append(f"after the memory runs: {os.getloadavg()[0]:.2f}")
    lines.append("")
    lines.append(f"page click -> charts drawn, Chromium {DESKTOP['width']} px, seconds, median of {args.rounds} rounds")
    lines.append("(run = until the script's run is over and its elements are on the page; drawn = plotly charts too)")
    lines.append("(KB = what the server sent over the websocket for the warm visit; CPU seconds during the warm visit)")
    for name in apps:
        lines += ["", *report(name, rounds[name], memory[name])]
    text = "\n".join(lines)
    print(text)
    if args.out is not None:  # never over an earlier run's file by default: the README cites them
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
