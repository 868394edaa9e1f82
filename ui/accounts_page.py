"""The Accounts page's changes (admin): add an account, disable or enable it, lift a lock, reset its password, change
its role. Every change goes through `data_access.accounts`, which checks that the viewer is an administrator and
records it; a refused change shows the rule it broke, in one line."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.engine import Engine

from data_access import accounts, auth
from data_access.errors import UserError
from data_access.filters import Scope
from data_access.models import ROLES
from ui import data
from ui import format as fmt
from ui.i18n import t

NOTICE_KEY = "_accounts_notice"


def _done(message: str, *, secret: str | None = None) -> None:
    st.session_state[NOTICE_KEY] = (message, secret)


def _attempt(change: Callable[[], object], message: str) -> None:
    try:
        result = change()
    except UserError as exc:
        st.error(t("accounts.refused", reason=str(exc)), icon=":material/block:")
        return
    _done(message, secret=result if isinstance(result, str) else None)
    st.rerun()


def _notice() -> None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        message, secret = notice
        st.success(message, icon=":material/check_circle:")
        if secret:
            st.code(secret, language=None)
            st.caption(t("accounts.password_once"))


def _commune_label(name: str) -> str:
    return name or t("accounts.no_commune")


def account_changes(engine: Engine, *, actor: str) -> None:
    """The forms under the accounts table, and the latest changes with who made them."""
    _notice()
    rows = auth.list_users(engine)
    names = [r.username for r in rows]
    communes = list(data.communes(scope=Scope.everything())["name"])
    role_label: Callable[[str], str] = lambda r: t(f"auth.role_{r}")  # noqa: E731

    change, add = st.tabs([t("accounts.tab_change"), t("accounts.tab_add")])
    with change:
        if not names:
            st.caption(t("msg.empty"))
        else:
            who = st.selectbox(t("auth.col_username"), names, key="acc_who")
            left, middle, right, last = st.columns(4)
            if left.button(t("accounts.disable"), key="acc_disable", width="stretch"):
                _attempt(lambda: accounts.disable(engine, actor=actor, username=who), t("accounts.done_disable", u=who))
            if middle.button(t("accounts.enable"), key="acc_enable", width="stretch"):
                _attempt(lambda: accounts.enable(engine, actor=actor, username=who), t("accounts.done_enable", u=who))
            if right.button(t("accounts.unlock"), key="acc_unlock", width="stretch"):
                _attempt(lambda: accounts.unlock(engine, actor=actor, username=who), t("accounts.done_unlock", u=who))
            if last.button(t("accounts.reset"), key="acc_reset", width="stretch"):
                _attempt(
                    lambda: accounts.reset_password(engine, actor=actor, username=who), t("accounts.done_reset", u=who)
                )
            with st.form("acc_role_form", border=True):
                role = st.selectbox(t("auth.col_role"), ROLES, format_func=role_label, key="acc_role")
                commune = st.selectbox(
                    t("auth.col_commune"), ["", *communes], format_func=_commune_label, key="acc_role_commune"
                )
                if st.form_submit_button(t("accounts.change_role")):
                    _attempt(
                        lambda: accounts.change_role(
                            engine, actor=actor, username=who, role=role, commune=commune or None
                        ),
                        t("accounts.done_role", u=who),
                    )
    with add, st.form("acc_add_form", border=True):
        username = st.text_input(t("auth.col_username"), key="acc_new_name")
        display = st.text_input(t("accounts.display_name"), key="acc_new_display")
        role = st.selectbox(t("auth.col_role"), ROLES, format_func=role_label, key="acc_new_role")
        commune = st.selectbox(
            t("auth.col_commune"), ["", *communes], format_func=_commune_label, key="acc_new_commune"
        )
        if st.form_submit_button(t("accounts.add")):
            password = auth.generate_password()

            def create() -> str:
                accounts.add(
                    engine,
                    actor=actor,
                    username=username,
                    role=role,
                    password=password,
                    commune=commune or None,
                    display_name=display,
                )
                return password

            _attempt(create, t("accounts.done_add", u=username.strip().lower()))

    st.subheader(t("accounts.events_title"), anchor=False)
    changes = accounts.events(engine)
    if not changes:
        st.caption(t("accounts.no_events"))
        return
    st.dataframe(
        [
            {
                t("accounts.col_at"): fmt.moment(e.at),
                t("accounts.col_actor"): e.actor,
                t("accounts.col_action"): t(f"accounts.action_{e.action}"),
                t("auth.col_username"): e.username,
                t("accounts.col_detail"): e.detail,
            }
            for e in changes
        ],
        hide_index=True,
    )
