"""The sign-in lock under guesses sent at once from many processes: at most five are ever checked per lock period.

Each guess runs in its own process with its own engine (its own connections), all released at one barrier, on a
SQLite file and on PostgreSQL. A guess whose password was checked answers "wrong_password" (or "ok"); one refused
without a check answers "locked".
"""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter

import pytest
from sqlalchemy.engine import Engine

from data_access import auth
from data_access.db import make_engine
from tests.auth_factories import PASSWORD, make_user, reload_user

# Dialect-sensitive: what the database stores and how it answers concurrent writes; run on both.
pytestmark = pytest.mark.both_databases

GUESSES = 30


def _guess(url: str, password: str, barrier: mp.synchronize.Barrier, results: mp.Queue) -> None:
    engine = make_engine(url)
    try:
        barrier.wait(timeout=120)
        results.put(auth.authenticate(engine, "nguyen.van.a", password).reason)
    finally:
        engine.dispose()


def _guess_at_once(engine: Engine, passwords: list[str]) -> Counter[str]:
    ctx = mp.get_context("fork")
    url = engine.url.render_as_string(hide_password=False)
    barrier = ctx.Barrier(len(passwords))
    results: mp.Queue = ctx.Queue()
    engine.dispose()  # the children open connections of their own
    procs = [ctx.Process(target=_guess, args=(url, p, barrier, results)) for p in passwords]
    for proc in procs:
        proc.start()
    reasons = Counter(results.get(timeout=180) for _ in procs)
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    return reasons


@pytest.mark.slow  # thirty concurrent sign-ins, each an argon2 check: 4 s
def test_thirty_wrong_guesses_at_once_check_only_five(engine: Engine) -> None:
    user = make_user(engine)
    reasons = _guess_at_once(engine, [f"wrong guess {k}" for k in range(GUESSES)])
    assert reasons == {"wrong_password": auth.MAX_FAILED_ATTEMPTS, "locked": GUESSES - auth.MAX_FAILED_ATTEMPTS}
    after = reload_user(engine, user.id)  # type: ignore[arg-type]
    assert after.locked_until is not None
    assert auth.authenticate(engine, "nguyen.van.a", PASSWORD).reason == "locked"


@pytest.mark.parametrize("earlier_failures", [0, 3])
def test_the_right_password_among_wrong_ones_is_checked_only_within_the_five(
    engine: Engine, earlier_failures: int
) -> None:
    """Twelve wrong guesses and the right one at once: the guesses checked before the lock are five at most, the
    right one among them or refused as locked; with three failures already counted, two places are left."""
    make_user(engine)
    for k in range(earlier_failures):
        assert auth.authenticate(engine, "nguyen.van.a", f"earlier {k}").reason == "wrong_password"
    reasons = _guess_at_once(engine, [*(f"wrong guess {k}" for k in range(12)), PASSWORD])
    left = auth.MAX_FAILED_ATTEMPTS - earlier_failures
    assert sum(reasons.values()) == 13
    if reasons["ok"] == 0:  # the right guess came after the lock: exactly the places left were checked
        assert reasons == {"wrong_password": left, "locked": 13 - left}
    else:  # it was among them and, signing in, gave the account its attempts back for whoever queued behind it
        assert reasons["ok"] == 1
        assert reasons["wrong_password"] <= left - 1 + auth.MAX_FAILED_ATTEMPTS
