"""Helpers for tests and benchmarks: a real sandbox process on free ports, and a client for its admin surface.

    with running_sandbox(seed=1, scale="tiny", systems=("magento",)) as urls:
        admin = SandboxAdmin(urls.magento)
        admin.set_faults(error_rate=0.5)
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

INCLUDE_DIR = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(r"sandbox (\w+) listening on (http://\S+)")


@dataclass(frozen=True)
class SandboxURLs:
    """Base URLs (``http://127.0.0.1:PORT``) of the servers started; None for a system not started."""

    magento: str | None = None
    plenty: str | None = None
    freeagent: str | None = None


@contextlib.contextmanager
def running_sandbox(seed: int = 1, scale: str = "small", systems: Sequence[str] = ("magento", "plenty", "freeagent"),
                    timeout: float = 60.0, env: dict[str, str] | None = None) -> Iterator[SandboxURLs]:
    """Run ``python -m sandbox serve --only ...`` on free ports until the block ends (then stop it)."""
    cmd = [sys.executable, "-m", "sandbox", "serve", "--seed", str(seed), "--scale", scale]
    for system in systems:
        cmd += ["--only", system]
    child_env = dict(os.environ, **(env or {}))
    child_env.update({f"SANDBOX_{s.upper()}_PORT": "0" for s in ("magento", "plenty", "freeagent")})
    child_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(INCLUDE_DIR), child_env.get("PYTHONPATH", "")) if p)
    process = subprocess.Popen(cmd, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    lines: list[str] = []
    found: dict[str, str] = {}
    ready = threading.Event()

    def drain() -> None:  # keeps reading so the child never blocks on a full pipe
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if match := _LISTENING.search(line):
                found[match.group(1)] = match.group(2)
            if "sandbox ready" in line:
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    try:
        if not ready.wait(timeout) or process.poll() is not None:
            raise RuntimeError("sandbox did not start:\n" + "".join(lines[-40:]))
        urls = SandboxURLs(**found)
        deadline = time.monotonic() + timeout
        for url in found.values():
            while not SandboxAdmin(url).healthy():
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"sandbox at {url} not healthy:\n" + "".join(lines[-40:]))
                time.sleep(0.05)
        yield urls
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


class SandboxAdmin:
    """A small client for one server's ``/_sandbox/`` surface. Every method raises on an HTTP error."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.base_url}/_sandbox{path}", timeout=self.timeout, **kwargs)
        response.raise_for_status()
        return response.json()

    def healthy(self) -> bool:
        try:
            return self._call("GET", "/health").get("status") == "ok"
        except requests.RequestException:
            return False

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

    def reset(self, seed: int = 1, scale: str | None = None, counts: dict[str, int] | None = None) -> dict[str, int]:
        """Regenerate the data (and clear faults, limits, tokens, request log); returns the counts."""
        body: dict[str, Any] = {"seed": seed}
        if scale is not None:
            body["scale"] = scale
        if counts is not None:
            body["counts"] = counts
        return self._call("POST", "/reset", json=body)

    def set_faults(self, **config: Any) -> dict[str, Any]:
        """e.g. ``set_faults(error_rate=0.2, error_codes=[503], seed=7)`` (fields of `FaultConfig`)."""
        return self._call("PUT", "/faults", json=config)

    def clear_faults(self) -> dict[str, Any]:
        return self._call("DELETE", "/faults")

    def faults(self) -> dict[str, Any]:
        return self._call("GET", "/faults")

    def set_limits(self, enabled: bool = True, **numbers: Any) -> dict[str, Any]:
        """e.g. ``set_limits(read_per_minute=5)`` on PlentyONE, ``set_limits(per_minute=3)`` on FreeAgent/Magento."""
        return self._call("PUT", "/limits", json={"enabled": enabled, **numbers})

    def clear_limits(self) -> dict[str, Any]:
        return self._call("DELETE", "/limits")

    def set_auth(self, access_token_ttl_seconds: float | None = None, revoke_refresh_tokens: bool = False,
                 **more: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"revoke_refresh_tokens": revoke_refresh_tokens, **more}
        if access_token_ttl_seconds is not None:
            body["access_token_ttl_seconds"] = access_token_ttl_seconds
        return self._call("PUT", "/auth", json=body)

    def issued_tokens(self) -> list[str]:
        """Every access and refresh token the server handed out (the real values a leak check looks for)."""
        return list(self._call("GET", "/auth/issued")["tokens"])

    def touch(self, entity: str, count: int | None = None, ids: list[Any] | None = None) -> list[Any]:
        """Bump updated_at to now for `ids` or for the `count` least recently updated records."""
        body: dict[str, Any] = {"entity": entity}
        if count is not None:
            body["count"] = count
        if ids is not None:
            body["ids"] = ids
        return self._call("POST", "/touch", json=body)["ids"]

    def create(self, entity: str, record: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", f"/records/{entity}", json=record)

    def delete(self, entity: str, key: Any) -> dict[str, Any]:
        return self._call("DELETE", f"/records/{entity}/{key}")

    def counts(self) -> dict[str, int]:
        return self._call("GET", "/counts")

    def records(self, entity: str, offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """``{"items": [...], "total": n}`` in key order."""
        return self._call("GET", f"/records/{entity}", params={"offset": offset, "limit": limit})

    def record(self, entity: str, key: Any) -> dict[str, Any]:
        return self._call("GET", f"/records/{entity}/{key}")

    def requests(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._call("GET", "/requests", params={"limit": limit})

    def clear_requests(self) -> dict[str, Any]:
        return self._call("DELETE", "/requests")

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "/stats")

    def routes(self) -> list[dict[str, str]]:
        return self._call("GET", "/routes")
