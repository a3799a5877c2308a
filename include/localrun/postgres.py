"""The local stack's PostgreSQL: one cluster under ``AIRFLOW_HOME``, a database for Airflow and one for the sync state.

Why the ``pgserver`` wheel: it installs from PyPI like the rest of `make run` (no root, no apt, no Docker), and it
is the same engine docker-compose runs. Only its server binaries are used: the server runs in the foreground as a
child of the stack's supervisor, so that an exit is seen and handled like any other component's.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

# PostgreSQL refuses to run as root; as root the cluster belongs to this system user (Debian's name for it).
SERVER_USER = "postgres"


def binaries() -> Path:
    """The folder of ``initdb`` and ``postgres``: the pgserver wheel's, else a system installation's."""
    spec = importlib.util.find_spec("pgserver")  # located, not imported: its import sets up lock files
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(location) / "pginstall" / "bin"
        if (folder / "postgres").exists():
            return folder
    found = shutil.which("postgres") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))), None)
    if not found:
        raise RuntimeError("no PostgreSQL server binaries: `make install` installs the pgserver wheel")
    return Path(found).resolve().parent


@dataclass(frozen=True)
class EmbeddedPostgres:
    data_dir: Path
    port: int
    databases: tuple[str, ...] = ("airflow", "sync_state")

    def url(self, database: str, driver: str = "postgresql") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def server_argv(self) -> list[str]:
        """The server in the foreground: loopback TCP only, no Unix socket (paths under a deep home outgrow its limit).

        ``synchronous_commit=off`` trades the last fraction of a second of commits on a crash for speed; it never
        corrupts the cluster (unlike ``fsync=off``), which keeps the history of earlier `make run`s.
        """
        argv = [
            str(binaries() / "postgres"),
            "-D",
            str(self.data_dir),
            "-p",
            str(self.port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "synchronous_commit=off",
            "-c",
            "max_connections=200",
        ]
        return argv

    @property
    def user(self) -> str | None:
        """The system user the server runs as: ours, unless we are root."""
        return _server_user().pw_name if os.geteuid() == 0 else None

    def initialise(self) -> bool:
        """Create the cluster unless it exists; True when it was created."""
        if (self.data_dir / "PG_VERSION").exists():
            return False
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            owner = _server_user()
            _make_traversable(self.data_dir.parent)
            os.chown(self.data_dir, owner.pw_uid, owner.pw_gid)
        self.data_dir.chmod(0o700)
        argv = [str(binaries() / "initdb"), "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        result = subprocess.run(
            [*argv, "--no-locale"], cwd=self.data_dir, capture_output=True, text=True, user=self.user, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed in {self.data_dir}:\n{result.stdout}{result.stderr}")
        return True

    def wait_until_ready(self, timeout: float, alive: Callable[[], None]) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError as exc:
                alive()
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"PostgreSQL on port {self.port} not ready within {timeout:.0f} s: {exc}"
                    ) from exc
                time.sleep(0.3)

    def create_databases(self) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            present = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
            for name in self.databases:
                if name not in present:
                    conn.execute(f'CREATE DATABASE "{name}"')


def _server_user() -> pwd.struct_passwd:
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(SERVER_USER)
    subprocess.run(["useradd", "--system", "--no-create-home", SERVER_USER], check=True, capture_output=True)
    return pwd.getpwnam(SERVER_USER)


def _make_traversable(folder: Path) -> None:
    """Let the server user reach its data folder: search (x) permission on each parent, nothing more."""
    for parent in [folder, *folder.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)
