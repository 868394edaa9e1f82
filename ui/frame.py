"""The frame around every page: page config, the viewer's scope, the filter sidebar, navigation.

`app.py` calls `page_config()`, then `sidebar()`, then runs the chosen page inside `page_running()`. A page run on
its own (AppTest on the page file) gets the sidebar from `ui.filters.current_state()`, which calls `sidebar()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from data_access.filters import Scope
from data_access.metrics import first_recorded_month
from ui import data
from ui.components import page_header
from ui.filters import (
    FRAME_KEY,
    SCOPE_KEY,
    FilterState,
    current_scope,
    current_state,
    render_language_only,
    render_sidebar,
    seed_language_from_url,
)
from ui.i18n import t

PAGE_ICON = "🚩"


def page_config() -> None:
    """The page config, in the reader's language: a link's `lang=` counts from the very first run."""
    seed_language_from_url()
    st.set_page_config(page_title=t("app.title"), page_icon=PAGE_ICON, layout="wide")


def set_scope(scope: Scope | None) -> None:
    """Record the signed-in viewer's scope for every query of this run; `None` when no one is signed in (a page
    then shows the sign-in message and nothing else: `ui.filters.current_scope`)."""
    st.session_state[SCOPE_KEY] = scope


def sidebar() -> FilterState:
    """Draw the shared filter sidebar for the viewer's scope and return what it produced."""
    scope = current_scope()
    return render_sidebar(
        communes=data.communes(scope=scope),
        organisations=lambda ids: data.organisations(scope=scope, communes=ids),
        scope=scope,
        first_month=lambda: first_recorded_month(data.read_engine()),
        lineage=data.commune_tree(scope=scope),
    )


def language_only() -> None:
    """The sidebar of a page the filters do not act on: the language switch alone."""
    render_language_only()


def start_page(title_key: str) -> FilterState:
    """Begin a page: the filter sidebar (unless the frame drew it in this run), the title, the scope line.

    Call it once, first thing in a page, and use the returned `FilterState` (`.filters`) for every query.
    """
    state = current_state() if st.session_state.get(FRAME_KEY) else sidebar()
    page_header(title_key, state=state)
    return state


@contextmanager
def page_running() -> Iterator[None]:
    """Mark that the frame drew the sidebar in this run, so the page does not draw it again."""
    st.session_state[FRAME_KEY] = True
    try:
        yield
    finally:
        st.session_state[FRAME_KEY] = False
