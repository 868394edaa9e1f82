"""Accounts (administrators): every account with its role, commune and status; add, disable, enable, unlock,
reset a password and change a role, each change audited."""

from __future__ import annotations

from ui import auth as sign_in
from ui import data
from ui.accounts_page import account_changes

engine = data.engine()
user = sign_in.current_user(engine)
sign_in.require_page("accounts", user)
sign_in.accounts_overview(engine)
assert user is not None  # require_page stopped the page otherwise
account_changes(engine, actor=user.username)
