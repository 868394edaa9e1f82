"""`python -m data_access users add|list|disable|enable|reset-password|unlock`: accounts from the command line.

Outside demo mode there are no default accounts: the first admin is created here. A password is read twice
without echo, or generated with `--generate` and printed once; it is never written anywhere else.
"""

from __future__ import annotations

import argparse
import getpass
from typing import TextIO

from sqlalchemy.engine import Engine

from data_access import accounts, auth
from data_access.db import engine_from_settings
from data_access.errors import UserError
from data_access.migrations import init_db
from data_access.models import ROLES


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = subparsers.add_parser("users", help="manage accounts: add, list, disable, reset a password")
    commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    add = commands.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--commune", metavar="NAME", help="the commune of a commune account")
    add.add_argument("--display-name", default="", metavar="TEXT")
    add.add_argument("--email", metavar="ADDRESS", help="for single sign-on (OpenID Connect)")
    add.add_argument("--generate", action="store_true", help="generate a password and print it once")
    add.set_defaults(run=_add)

    listing = commands.add_parser("list", help="list the accounts")
    listing.set_defaults(run=_list)

    disable = commands.add_parser("disable", help="stop an account from signing in and end its sessions")
    disable.add_argument("username")
    disable.set_defaults(run=_disable)

    enable = commands.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("username")
    enable.set_defaults(run=_enable)

    reset = commands.add_parser("reset-password", help="set a new password (ends the account's sessions)")
    reset.add_argument("username")
    reset.add_argument("--generate", action="store_true", help="generate a password and print it once")
    reset.set_defaults(run=_reset)

    unlock = commands.add_parser("unlock", help="lift the lock after failed sign-in attempts")
    unlock.add_argument("username")
    unlock.set_defaults(run=_unlock)


def _engine() -> Engine:
    engine = engine_from_settings()
    init_db(engine)
    return engine


def _new_password(args: argparse.Namespace, out: TextIO) -> tuple[str, bool]:
    """The password to set and whether it was generated (then it is printed once, after success)."""
    if args.generate:
        return auth.generate_password(), True
    first = getpass.getpass(f"Password for {args.username}: ")
    auth.check_password_strength(first)
    second = getpass.getpass("Repeat the password: ")
    if first != second:
        raise UserError("the two passwords differ; nothing was changed")
    return first, False


def _add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    auth.check_role_and_commune(role=args.role, commune=args.commune)  # before asking for a password
    password, generated = _new_password(args, out)
    engine = _engine()
    try:
        user = auth.create_user(
            engine,
            username=args.username,
            role=args.role,
            password=password,
            commune=args.commune,
            display_name=args.display_name,
            email=args.email,
        )
        accounts.record(
            engine, actor=accounts.CLI_ACTOR, action="add", username=user.username, detail=f"role={user.role}"
        )
    finally:
        engine.dispose()
    print(f"added {user.username} ({user.role})", file=out)
    if generated:
        print(f"password (shown once): {password}", file=out)
    return 0


def _list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = _engine()
    try:
        rows = auth.list_users(engine)
    finally:
        engine.dispose()
    now = auth.utcnow()
    print("username\trole\tcommune\tstatus\tlast_sign_in\temail", file=out)
    for row in rows:
        status = "disabled" if not row.active else "locked" if row.locked_until and row.locked_until > now else "active"
        last = row.last_sign_in.strftime("%Y-%m-%d %H:%M") if row.last_sign_in else ""
        print(f"{row.username}\t{row.role}\t{row.commune or ''}\t{status}\t{last}\t{row.email or ''}", file=out)
    return 0


def _disable(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = _engine()
    try:
        auth.disable_user(engine, username=args.username)
        accounts.record(engine, actor=accounts.CLI_ACTOR, action="disable", username=args.username)
    finally:
        engine.dispose()
    print(f"disabled {auth.normalise_username(args.username)}", file=out)
    return 0


def _enable(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = _engine()
    try:
        auth.enable_user(engine, username=args.username)
        accounts.record(engine, actor=accounts.CLI_ACTOR, action="enable", username=args.username)
    finally:
        engine.dispose()
    print(f"enabled {auth.normalise_username(args.username)}", file=out)
    return 0


def _reset(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    password, generated = _new_password(args, out)
    engine = _engine()
    try:
        auth.reset_password(engine, username=args.username, password=password)
        accounts.record(engine, actor=accounts.CLI_ACTOR, action="reset_password", username=args.username)
    finally:
        engine.dispose()
    print(f"new password set for {auth.normalise_username(args.username)}; its open sessions have ended", file=out)
    if generated:
        print(f"password (shown once): {password}", file=out)
    return 0


def _unlock(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = _engine()
    try:
        auth.unlock_user(engine, username=args.username)
        accounts.record(engine, actor=accounts.CLI_ACTOR, action="unlock", username=args.username)
    finally:
        engine.dispose()
    print(f"unlocked {auth.normalise_username(args.username)}", file=out)
    return 0
