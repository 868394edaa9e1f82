"""`python -m data_access users …`: accounts from the command line, passwords typed through a patched getpass."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from data_access import auth
from data_access.cli import main
from data_access.settings import get_settings
from tests.auth_factories import PASSWORD, make_commune, make_user

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Run]:
    """Run the CLI against the test database; `typed` are the answers to the password prompts, in order."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DASHBOARD_SECRETS", str(tmp_path / "no-secrets.toml"))
    get_settings.cache_clear()
    prompts: list[str] = []

    def run(*argv: str, typed: tuple[str, ...] = ()) -> tuple[int, str, str]:
        answers = iter(typed)

        def fake_getpass(prompt: str = "") -> str:
            prompts.append(prompt)
            return next(answers)

        monkeypatch.setattr("getpass.getpass", fake_getpass)
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), out=out, err=err)
        return code, out.getvalue(), err.getvalue()

    run.prompts = prompts  # type: ignore[attr-defined]
    yield run


def test_add_reads_the_password_twice_and_never_prints_it(cli: Run, engine: Engine) -> None:
    code, out, err = cli("users", "add", "huyen", "--role", "district", typed=(PASSWORD, PASSWORD))
    assert (code, out, err) == (0, "added huyen (district)\n", "")
    assert PASSWORD not in out
    assert len(cli.prompts) == 2  # type: ignore[attr-defined]
    assert auth.authenticate(engine, "huyen", PASSWORD).ok


def test_add_with_two_different_passwords_changes_nothing(cli: Run, engine: Engine) -> None:
    code, _, err = cli("users", "add", "huyen", "--role", "district", typed=(PASSWORD, PASSWORD + "!"))
    assert (code, err) == (2, "error: the two passwords differ; nothing was changed\n")
    assert auth.list_users(engine) == []


def test_add_generate_prints_the_password_once_and_it_works(cli: Run, engine: Engine) -> None:
    code, out, _ = cli("users", "add", "quan.tri", "--role", "admin", "--generate")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "added quan.tri (admin)"
    password = lines[1].removeprefix("password (shown once): ")
    assert len(password) == 16 and out.count(password) == 1
    assert auth.authenticate(engine, "quan.tri", password).ok


def test_add_a_commune_account(cli: Run, engine: Engine) -> None:
    make_commune(engine, name="Đại Lộc")
    make_commune(engine, name="Lộc Sơn")
    code, _, _ = cli("users", "add", "locson", "--role", "commune", "--commune", "Lộc Sơn", "--generate")
    assert code == 0
    assert [(r.username, r.role, r.commune) for r in auth.list_users(engine)] == [("locson", "commune", "Lộc Sơn")]


def test_add_an_unknown_commune_is_one_line(cli: Run) -> None:
    code, out, err = cli("users", "add", "locha", "--role", "commune", "--commune", "Lộc Hà", "--generate")
    assert (code, out, err) == (2, "", "error: unknown commune: 'Lộc Hà'\n")


def test_add_a_commune_account_without_commune_asks_no_password(cli: Run) -> None:
    code, _, err = cli("users", "add", "locson", "--role", "commune")
    assert (code, err) == (2, "error: a commune account needs its commune: --commune NAME\n")
    assert cli.prompts == []  # type: ignore[attr-defined]


def test_add_a_duplicate_username_is_one_line(cli: Run, engine: Engine) -> None:
    make_user(engine, username="huyen")
    code, _, err = cli("users", "add", "huyen", "--role", "admin", "--generate")
    assert (code, err) == (2, "error: the username 'huyen' is taken\n")


def test_list_shows_role_commune_and_status(cli: Run, engine: Engine) -> None:
    loc_son = make_commune(engine, name="Lộc Sơn")
    make_user(engine, username="huyen", role="district", email="huyen@hauloc.gov.vn")
    make_user(engine, username="locson", role="commune", commune_id=loc_son)
    make_user(engine, username="cu", role="district", active=False)
    code, out, _ = cli("users", "list")
    assert code == 0
    assert out.splitlines() == [
        "username\trole\tcommune\tstatus\tlast_sign_in\temail",
        "cu\tdistrict\t\tdisabled\t\t",
        "huyen\tdistrict\t\tactive\t\thuyen@hauloc.gov.vn",
        "locson\tcommune\tLộc Sơn\tactive\t\t",
    ]


def test_list_never_shows_a_hash(cli: Run, engine: Engine) -> None:
    user = make_user(engine)
    _, out, _ = cli("users", "list")
    assert "$argon2" not in out and user.password_hash not in out


def test_disable_stops_sign_in(cli: Run, engine: Engine) -> None:
    make_user(engine, username="huyen")
    code, out, _ = cli("users", "disable", "huyen")
    assert (code, out) == (0, "disabled huyen\n")
    assert auth.authenticate(engine, "huyen", PASSWORD).reason == "disabled"


def test_enable_lets_a_disabled_account_back_in(cli: Run, engine: Engine) -> None:
    make_user(engine, username="huyen", active=False)
    assert cli("users", "enable", "huyen")[0] == 0
    assert auth.authenticate(engine, "huyen", PASSWORD).ok


def test_disable_an_unknown_account_is_one_line(cli: Run) -> None:
    assert cli("users", "disable", "nobody") == (2, "", "error: no account named 'nobody'\n")


def test_reset_password_replaces_the_old_one(cli: Run, engine: Engine) -> None:
    make_user(engine, username="huyen")
    code, _, _ = cli("users", "reset-password", "huyen", typed=("a brand new password",) * 2)
    assert code == 0
    assert auth.authenticate(engine, "huyen", PASSWORD).reason == "wrong_password"
    assert auth.authenticate(engine, "huyen", "a brand new password").ok


def test_reset_password_refuses_a_short_password_before_asking_twice(cli: Run, engine: Engine) -> None:
    make_user(engine, username="huyen")
    code, _, err = cli("users", "reset-password", "huyen", typed=("short",))
    assert (code, err) == (2, "error: the password must have at least 10 characters\n")
    assert len(cli.prompts) == 1  # type: ignore[attr-defined]


def test_reset_password_generate(cli: Run, engine: Engine) -> None:
    make_user(engine, username="huyen")
    code, out, _ = cli("users", "reset-password", "huyen", "--generate")
    password = out.splitlines()[-1].removeprefix("password (shown once): ")
    assert code == 0 and auth.authenticate(engine, "huyen", password).ok


def test_unlock_lets_a_locked_account_sign_in(cli: Run, engine: Engine) -> None:
    make_user(engine, username="huyen")
    for _ in range(5):
        auth.authenticate(engine, "huyen", "wrong")
    assert auth.authenticate(engine, "huyen", PASSWORD).reason == "locked"
    assert cli("users", "unlock", "huyen") == (0, "unlocked huyen\n", "")
    assert auth.authenticate(engine, "huyen", PASSWORD).ok
