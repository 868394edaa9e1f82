"""When the database fails under a page: a clear page in Vietnamese and English instead of a traceback.

`run_guarded(page.run, engine=get_engine)` runs a page; if the database cannot be reached (at start, or because it
went away while the app runs), the page's output is replaced by a notice that retries by itself every few seconds
and brings the page back as soon as the database answers again: no restart, no reload.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from data_access.db import DatabaseStatus, DatabaseUnavailable, check_database, is_connection_error

RETRY_SECONDS = 10
# Every failure of the database or its driver; SQLAlchemy wraps OperationalError and InterfaceError in DBAPIError.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (DBAPIError, PoolTimeout, DatabaseUnavailable)

_log = logging.getLogger(__name__)
_FRESH = "_outage_status_fresh"
_ATTEMPTS = "_outage_attempts"

UNREACHABLE_VI = "Không kết nối được cơ sở dữ liệu"
UNREACHABLE_EN = "Cannot connect to the database"
NO_SCHEMA_VI = "Cơ sở dữ liệu chưa được khởi tạo"
NO_SCHEMA_EN = "The database has not been set up"
QUERY_FAILED_VI = "Không lấy được số liệu"
QUERY_FAILED_EN = "The figures could not be read"


def run_guarded(
    page: Callable[[], Any], *, engine: Engine | Callable[[], Engine], retry_seconds: int = RETRY_SECONDS
) -> bool:
    """Run `page`; if the database fails under it, show the outage notice in its place. True when the page ran."""
    holder = st.empty()
    try:
        with holder.container():
            page()
    except DATABASE_ERRORS as exc:
        holder.empty()  # whatever the page drew before the failure is half a page: remove it
        show_database_problem(exc, engine=engine() if callable(engine) else engine, retry_seconds=retry_seconds)
        return False
    st.session_state.pop(_ATTEMPTS, None)
    return True


def show_database_problem(exc: BaseException, *, engine: Engine, retry_seconds: int = RETRY_SECONDS) -> None:
    """The notice for a database failure `exc`: unreachable and no schema retry by themselves; a failed query not."""
    status = check_database(engine)
    if status.ok and not is_connection_error(exc):
        _log.error("a dashboard query failed", exc_info=exc)
        _query_failed(exc)
        return
    _log.warning("database %s: %s", status.state, status.reason or exc.__class__.__name__)
    if status.state == "no_schema":
        st.error(f"**{NO_SCHEMA_VI}** · {NO_SCHEMA_EN}", icon="🗄️")
        st.markdown(
            "Cơ sở dữ liệu đã kết nối được nhưng chưa có bảng số liệu. Quản trị viên cần chạy lệnh "
            "`python -m data_access init` rồi nhập dữ liệu.  \n"
            "*The database answers but holds no tables yet. An administrator must run "
            "`python -m data_access init` and then import the data.*"
        )
    else:
        st.error(f"**{UNREACHABLE_VI}** · {UNREACHABLE_EN}", icon="🔌")
        st.markdown(
            f"Máy chủ cơ sở dữ liệu không trả lời. Trang sẽ tự thử kết nối lại sau mỗi {retry_seconds} giây và tự "
            "hiện lại số liệu khi kết nối được, không cần tải lại trang. Nếu tình trạng kéo dài, hãy báo quản trị "
            "viên kiểm tra máy chủ PostgreSQL và thiết lập `DATABASE_URL`.  \n"
            f"*The database server does not answer. This page tries again every {retry_seconds} seconds and shows "
            "the figures again as soon as it can connect; there is no need to reload. If this lasts, ask the "
            "administrator to check the PostgreSQL server and the `DATABASE_URL` setting.*"
        )
    st.session_state[_FRESH] = status
    _retry(engine=engine, retry_seconds=retry_seconds)


def _retry(*, engine: Engine, retry_seconds: int) -> None:
    @st.fragment(run_every=retry_seconds)
    def probe() -> None:
        status: DatabaseStatus | None = st.session_state.pop(_FRESH, None)
        if status is None:  # a timed rerun of this fragment: probe again
            status = check_database(engine)
            if status.ok:
                st.session_state.pop(_ATTEMPTS, None)
                st.rerun(scope="app")
        attempts = st.session_state.get(_ATTEMPTS, 0) + 1
        st.session_state[_ATTEMPTS] = attempts
        at = dt.datetime.now().strftime("%H:%M:%S")
        st.caption(
            f"Lần kiểm tra thứ {attempts} lúc {at}: chưa kết nối được. · Check {attempts} at {at}: not connected yet."
        )
        with st.expander("Chi tiết kỹ thuật · Technical detail"):
            st.code(status.reason or "—", language=None)

    probe()


def _query_failed(exc: BaseException) -> None:
    orig = getattr(exc, "orig", None)
    timed_out = getattr(orig, "sqlstate", None) == "57014" or "interrupted" in str(orig)  # PostgreSQL / SQLite
    st.error(f"**{QUERY_FAILED_VI}** · {QUERY_FAILED_EN}", icon="⚠️")
    if timed_out:
        st.markdown(
            "Truy vấn chạy quá thời gian cho phép. Hãy thu hẹp bộ lọc (ít xã hơn, khoảng thời gian ngắn hơn) rồi "
            "thử lại.  \n*The query ran longer than allowed. Narrow the filters (fewer communes, a shorter period) "
            "and try again.*"
        )
    else:
        st.markdown(
            "Cơ sở dữ liệu báo lỗi khi đọc số liệu; lỗi đã được ghi lại cho quản trị viên.  \n"
            "*The database reported an error while reading the figures; it has been logged for the administrator.*"
        )
    st.button("Thử lại · Try again", key="_outage_try_again")
