"""Entry point: page config, sign-in, the viewer's scope, navigation by role, the filter sidebar. No business logic.

Run: `streamlit run app.py`. Until someone signs in, the navigation holds only the sign-in page; after, it holds the
pages the account's role may use (`data_access.auth.pages_for`), so other pages are neither listed nor reachable by
URL. Every query of the run is made with the account's scope (`data_access.auth.scope_for`), applied in SQL. If the
database fails, at start or later, the page is replaced by a notice that retries by itself (`ui.outage`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable

import streamlit as st

from data_access import auth
from data_access.db import DatabaseUnavailable, check_database
from ui import auth as sign_in
from ui import data, frame, outage, warming
from ui.i18n import t

# (page id as in data_access.auth, file, catalogue key of the title, icon); the id is also the URL path.
VIEW_PAGES = (
    ("overview", "views/overview.py", "nav.overview", ":material/dashboard:"),
    ("regularity", "views/regularity.py", "nav.regularity", ":material/event_available:"),
    ("participation", "views/participation.py", "nav.participation", ":material/groups:"),
    ("thematic", "views/topics.py", "nav.topics", ":material/topic:"),
    ("inspections", "views/inspections.py", "nav.inspections", ":material/fact_check:"),
    ("classification", "views/classification.py", "nav.classification", ":material/military_tech:"),
    ("organisations", "views/organisations.py", "nav.organisations", ":material/account_tree:"),
)
ADMIN_PAGES = (
    ("import", "views/import_data.py", "nav.import", ":material/upload_file:"),
    ("accounts", "views/accounts.py", "nav.accounts", ":material/manage_accounts:"),
)
UNFILTERED_PAGES = {page_id for page_id, *_ in ADMIN_PAGES}


def _pages(ids: set[str], specs: tuple[tuple[str, str, str, str], ...]) -> list[st.Page]:
    return [
        st.Page(path, title=t(title), icon=icon, url_path=page_id, default=page_id == "overview")
        for page_id, path, title, icon in specs
        if page_id in ids
    ]


def _sign_in_here() -> None:
    sign_in.sign_in_form(data.engine())


def _forbidden_here() -> None:
    st.error(t("auth.forbidden"))


def _stand_ins(ids: Iterable[str], view: Callable[[], None]) -> list[st.Page]:
    """Hidden pages at the URL paths of `ids` that show `view`: a link to such a page opens no "Page not found"
    dialog, and keeps its path and query string, so that a sign-in there opens the page the link named."""
    return [st.Page(view, title=t("auth.title"), url_path=page_id, visibility="hidden") for page_id in ids]


def _signed_out() -> None:
    """The sign-in page, at the root and at every page's path; first, whether the database answers at all (a new
    visitor then gets the outage notice, not a form that cannot work)."""
    status = check_database(data.bare_engine())
    if not status.ok:
        raise DatabaseUnavailable(status.reason)
    every_page = [page_id for page_id, *_ in (*VIEW_PAGES, *ADMIN_PAGES)]
    sign_in_page = st.Page("views/sign_in.py", title=t("auth.title"), url_path="sign-in", default=True)
    st.navigation([sign_in_page, *_stand_ins(every_page, _sign_in_here)], position="hidden").run()


@st.cache_resource(show_spinner=False)
def _freeze_start_up() -> bool:
    """Once per process, after the first page drawn (plotly, pandas, the engines and the catalogue loaded): collect,
    then move every object alive into the collector's permanent generation, so that no later collection walks them:
    Streamlit's full collection after every run (`.streamlit/config.toml`) then walks only what came later."""
    gc.collect()
    gc.freeze()
    return True


def main() -> None:
    engine = data.engine()  # first use: migrations, and in demo mode the demo district with its accounts
    warming.warm_in_background()  # once per data version: the default views' data while the leader signs in
    user = sign_in.current_user(engine)
    if user is None:
        frame.set_scope(None)  # no account, no scope: a page that still ran would stop (ui.filters.current_scope)
        _signed_out()
        return
    frame.set_scope(auth.scope_for(user, engine))
    allowed = auth.pages_for(user.role)
    sections = {t("nav.section.views"): _pages(allowed, VIEW_PAGES)}
    admin = _pages(allowed, ADMIN_PAGES)
    if admin:
        sections[t("nav.section.admin")] = admin
    # a link to a page the role may not open says so, instead of Streamlit's "Page not found" dialog
    others = [page_id for page_id, *_ in (*VIEW_PAGES, *ADMIN_PAGES) if page_id not in allowed]
    sections[t("nav.section.views")] += _stand_ins(others, _forbidden_here)
    page = st.navigation(sections)
    sign_in.sign_out_button(engine, user)
    if page.url_path in UNFILTERED_PAGES:
        frame.language_only()  # the filters do nothing on these pages
    else:
        frame.sidebar()
    with frame.page_running():
        page.run()
    _freeze_start_up()


frame.page_config()
outage.run_guarded(main, engine=data.bare_engine)
