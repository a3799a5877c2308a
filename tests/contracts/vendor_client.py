"""A minimal client of the three vendor APIs that authenticates the way each vendor does and remembers every
exchange, so that a test can validate what it sent and what it got back."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

CONNECTIONS_FILE = Path(__file__).resolve().parents[2] / "include" / "sandbox" / "connections.env"
_CONN_IDS = {"magento": "MAGENTO_DEFAULT", "plenty": "PLENTY_DEFAULT", "freeagent": "FREEAGENT_DEFAULT"}


def sandbox_connections(path: Path = CONNECTIONS_FILE) -> dict[str, dict[str, Any]]:
    """``AIRFLOW_CONN_*`` lines of the connections file, parsed: {"magento": {...}, ...}."""
    found: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("AIRFLOW_CONN_") or "=" not in line:
            continue
        name, _, raw = line.partition("=")
        value = shlex.split(raw)[0] if raw.strip() else ""
        for system, conn_id in _CONN_IDS.items():
            if name == f"AIRFLOW_CONN_{conn_id}":
                found[system] = json.loads(value)
    return found


@dataclass
class Exchange:
    method: str
    path: str
    query: list[tuple[str, str]]
    body: Any
    status: int
    response: Any  # parsed JSON, raw text when not JSON, None when empty


@dataclass
class VendorClient:
    system: str
    base_url: str
    connection: dict[str, Any]
    timeout: float = 30.0
    exchanges: list[Exchange] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    token: str | None = None
    refresh_token: str | None = None

    # --- auth ---------------------------------------------------------------------------------------------
    def login(self) -> Exchange:
        """Authenticate as the vendor requires; the exchange is returned (and recorded) for validation."""
        conn = self.connection
        if self.system == "magento":
            exchange = self.call(
                "POST",
                "/rest/V1/integration/admin/token",
                body={"username": conn["login"], "password": conn["password"]},
                auth=False,
            )
            self.token = exchange.response if isinstance(exchange.response, str) else None
        elif self.system == "plenty":
            exchange = self.call(
                "POST", "/rest/login", body={"username": conn["login"], "password": conn["password"]}, auth=False
            )
            answer = exchange.response if isinstance(exchange.response, dict) else {}
            self.token, self.refresh_token = answer.get("access_token"), answer.get("refresh_token")
        else:
            extra = conn.get("extra") or {}
            if isinstance(extra, str):
                extra = json.loads(extra)
            form = {"grant_type": "refresh_token", "refresh_token": extra["refresh_token"]}
            exchange = self.call(
                "POST", "/v2/token_endpoint", form=form, auth=False, basic=(conn["login"], conn["password"])
            )
            self.token = exchange.response.get("access_token") if isinstance(exchange.response, dict) else None
        if exchange.status != 200 or not self.token:
            raise AssertionError(f"{self.system} login failed: {exchange.status} {exchange.response!r}")
        return exchange

    # --- calls --------------------------------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        query: list[tuple[str, str]] | None = None,
        body: Any = None,
        form: dict[str, str] | None = None,
        auth: bool = True,
        basic: tuple[str, str] | None = None,
    ) -> Exchange:
        headers = {"Accept": "application/json"}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        kwargs: dict[str, Any] = {"params": query or [], "headers": headers, "timeout": self.timeout}
        if form is not None:
            kwargs["data"] = form
        elif body is not None:
            kwargs["json"] = body
        if basic is not None:
            kwargs["auth"] = basic
        response = self.session.request(method, self.base_url.rstrip("/") + path, **kwargs)
        exchange = Exchange(
            method, path, list(query or []), form if form is not None else body, response.status_code, _parse(response)
        )
        self.exchanges.append(exchange)
        return exchange


def _parse(response: requests.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text
