"""Accounts (administrators): every account with its role, commune and status; changes go through the CLI."""

from __future__ import annotations

from ui import auth as sign_in
from ui import data

engine = data.engine()
sign_in.require_page("accounts", sign_in.current_user(engine))
sign_in.accounts_overview(engine)
