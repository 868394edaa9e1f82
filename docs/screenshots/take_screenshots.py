"""Screenshots of every page of a running dashboard, in Vietnamese and English, at desktop and phone width.

Start the app in demo mode, then run this with the venv that has Playwright (Chromium from Debian, never a
downloaded browser):

    DATABASE_URL= streamlit run app.py --server.headless true --server.port 8621 &
    python docs/screenshots/take_screenshots.py --url http://127.0.0.1:8621/ --out /tmp/ui-shots
    python docs/screenshots/take_screenshots.py --readme   # docs/screenshots/overview.png and regularity.png

Each page is shot whole (the viewport grows to the page's height). `--as-of` pins the as-of date (the README shots
used the end of October 2026).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# (file name, URL path): the overview is the app's default page, at the root.
PAGES = (
    ("overview", ""),
    ("regularity", "regularity"),
    ("participation", "participation"),
    ("thematic", "thematic"),
    ("inspections", "inspections"),
    ("classification", "classification"),
    ("organisations", "organisations"),
)
README_PAGES = ("overview", "regularity")
LOCALES = {"vi": "vi-VN", "en": "en-GB"}
HERE = Path(__file__).resolve().parent
PAGE_HEIGHT_JS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const blocks = [...document.querySelectorAll('[data-testid=stMainBlockContainer] > div > *')];
  const bottom = Math.max(...blocks.map(b => b.getBoundingClientRect().bottom)) + (main ? main.scrollTop : 0);
  const sidebar = document.querySelector('[data-testid=stSidebarContent]');
  return Math.ceil(Math.max(bottom + 80, sidebar ? sidebar.scrollHeight : 0));
}"""


def settle(page: Page) -> None:
    """Wait for the page's content, then for the app to stop running."""
    page.wait_for_selector("h1", timeout=120_000)
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)
    time.sleep(2)  # plotly finishes its layout after the app is idle; a script, not a test


def sign_in(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill("demo.district")
    page.get_by_label("Mật khẩu").fill("demo-district-2025")
    page.get_by_role("button", name="Đăng nhập").click()
    settle(page)


def shoot(page: Page, path: Path, *, width: int, whole: bool) -> None:
    if whole:
        page.set_viewport_size({"width": width, "height": min(page.evaluate(PAGE_HEIGHT_JS), 12_000)})
        time.sleep(1)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": 1150})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8621/")
    parser.add_argument("--out", type=Path, default=Path("/tmp/ui-shots"))
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD")
    parser.add_argument("--dark", action="store_true", help="the dark theme (the browser prefers dark)")
    parser.add_argument("--readme", action="store_true", help="write the README's screenshots into docs/screenshots")
    args = parser.parse_args()
    as_of = args.as_of or ("2026-10-31" if args.readme else None)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (1400,) if args.readme else (1400, 390):
            for lang in ("vi",) if args.readme else ("vi", "en"):
                # the browser's locale is the reader's: tables write their numbers in it (85,3 % in Vietnamese)
                context = browser.new_context(
                    viewport={"width": width, "height": 1150},
                    color_scheme="dark" if args.dark else "light",
                    locale=LOCALES[lang],
                )
                page = context.new_page()
                sign_in(page, args.url)
                for name, path in PAGES:
                    if args.readme and name not in README_PAGES:
                        continue
                    query = f"?lang={lang}" + (f"&as_of={as_of}" if as_of else "")
                    page.goto(f"{args.url}{path}{query}")
                    settle(page)
                    target = HERE / f"{name}.png" if args.readme else args.out / f"{name}-{lang}-{width}.png"
                    shoot(page, target, width=width, whole=not args.readme)
                    print(target)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
