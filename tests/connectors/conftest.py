"""A real sandbox for the connector tests, and Airflow connections to it given as AIRFLOW_CONN_* variables."""

from __future__ import annotations

import itertools
import json
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from profile_sync.connectors.retry import RetryPolicy

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ROOT / "include" / "sandbox"
SYSTEMS = tuple(s for s in ("magento", "plenty", "freeagent") if (SANDBOX / s / "app.py").exists())
# Fast retries: the behaviour is the same, the tests stay quick.
FAST_RETRIES = RetryPolicy(
    base_delay=0.02, max_delay=0.1, retry_after_floor=0.05, max_attempts=8, max_total_wait=20
)
_ids = itertools.count(1)


def sandbox_credentials() -> dict[str, dict[str, Any]]:
    """The demo connections the sandbox ships (login, password, extra), by system."""
    found: dict[str, dict[str, Any]] = {}
    for line in (SANDBOX / "connections.env").read_text().splitlines():
        if line.startswith("AIRFLOW_CONN_") and "=" in line:
            name, value = line.split("=", 1)
            system = name.removeprefix("AIRFLOW_CONN_").removesuffix("_DEFAULT").lower()
            found[system] = json.loads(shlex.split(value)[0])
    return found


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    from sandbox.core.testing import running_sandbox

    with running_sandbox(seed=1, scale="tiny", systems=SYSTEMS) as urls:
        yield urls


def _base_url(sandbox: Any, system: str) -> str:
    url = getattr(sandbox, system, None)
    if url is None:
        pytest.skip(f"the {system} sandbox is not built yet")
    return url


@pytest.fixture
def admin(sandbox: Any) -> Callable[[str], Any]:
    """``admin(system)``: that server's admin client, its data reset to the tiny seed-1 world."""
    from sandbox.core.testing import SandboxAdmin

    def get(system: str) -> Any:
        client = SandboxAdmin(_base_url(sandbox, system))
        client.reset(seed=1, scale="tiny")
        return client

    return get


@pytest.fixture
def connect(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """``connect(system, password=..., conn_type=..., **extra)`` -> a fresh connection id pointing at the sandbox."""
    credentials = sandbox_credentials()

    def make(
        system: str, *, conn_id: str | None = None, base_url: str | None = None, **overrides: Any
    ) -> str:
        parts = urlsplit(base_url or _base_url(sandbox, system))
        conn = dict(credentials[system])
        conn.update(host=parts.hostname, port=parts.port, schema=parts.scheme)
        extra = dict(conn.get("extra") or {})
        for key, value in overrides.items():
            if key in ("login", "password", "conn_type"):
                conn[key] = value
            else:
                extra[key] = value
        conn["extra"] = extra
        conn_id = conn_id or f"{system}_test_{next(_ids)}"
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(conn))
        return conn_id

    return make
