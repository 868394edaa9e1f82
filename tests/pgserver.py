"""Start a throw-away PostgreSQL server for the test session (recipe in shared/FIELD-NOTES.md).

pytest-postgresql refuses to run as root, so this does the few steps by hand: initdb into a temporary folder,
pg_ctl start on a free loopback port, and an immediate stop at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass


class PostgresUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> str:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[4].split(".")]
    )
    if not candidates:
        raise PostgresUnavailable(
            "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)"
        )
    return candidates[-1]


@dataclass
class PostgresServer:
    bin_dir: str
    data_dir: str
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        cmd = [os.path.join(self.bin_dir, args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            self.data_dir,
            "-l",
            os.path.join(self.data_dir, "log"),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data_dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
            "start",
        )

    def stop(self, *, mode: str = "immediate") -> None:
        """Stop the server. "immediate" is a crash: with this test configuration (fsync and synchronous_commit off)
        the last commits may be lost. "fast" is an orderly shutdown that keeps every commit, as an administrator's
        restart does; tests that start the server again use it."""
        with contextlib.suppress(PostgresUnavailable):
            self._run("pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "stop")


def start_server() -> PostgresServer:
    bin_dir = _pg_bin()
    data_dir = tempfile.mkdtemp(prefix="pgtest-")
    if os.geteuid() == 0:
        shutil.chown(data_dir, user="postgres")
    server = PostgresServer(bin_dir=bin_dir, data_dir=data_dir, port=_free_port())
    server._run("initdb", "-D", data_dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-N")
    server.start()
    return server


def destroy(server: PostgresServer) -> None:
    server.stop()
    shutil.rmtree(server.data_dir, ignore_errors=True)
