"""Validate what a sandbox server actually received (its ``/_sandbox/requests`` log) against the contract.

The engine's tests call this after real DAG runs, so that every request the connectors sent is proven to be
one the real API would accept:

    problems = validate_recorded_requests(urls.plenty)
    assert problems == []
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import requests

from tests.contracts.spec import ContractSet, shared_contracts

# The log keeps the first 8 KiB of a body; a longer body cannot be parsed back and is not schema-checked.
LOGGED_BODY_LIMIT = 8192


def _body_of(entry: dict[str, Any]) -> tuple[Any, str | None]:
    """(parsed body, problem) of a logged request; (None, None) when there is no body or it was cut off."""
    text = entry.get("body") or ""
    if not text.strip():
        return None, None
    content_type = (entry.get("headers") or {}).get("content-type", "")
    if "application/x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(text, keep_blank_values=True)), None
    try:
        return json.loads(text), None
    except ValueError:
        if len(text.encode("utf-8")) >= LOGGED_BODY_LIMIT:
            return None, None  # truncated by the log
        return None, f"body is not JSON (content-type {content_type or 'none'}): {text[:80]!r}"


def validate_log_entries(contracts: ContractSet, system: str, entries: list[dict[str, Any]]) -> list[str]:
    """Problems of logged requests (``/_sandbox/`` calls skipped) and of their answers' statuses."""
    problems: list[str] = []
    for entry in entries:
        path = entry["path"]
        if path.startswith("/_sandbox"):
            continue
        method = entry["method"]
        body, body_problem = _body_of(entry)
        if body_problem:
            problems.append(f"{system} {method} {path}: {body_problem}")
        found = contracts.validate_request(system, method, path, entry.get("query") or "", body)
        problems.extend(found)
        status = int(entry.get("status") or 0)
        if status and not found:
            problems.extend(contracts.validate_status(system, method, path, status))
    return problems


def validate_recorded_requests(admin_url: str, limit: int = 100_000, contracts: ContractSet | None = None) -> list[str]:
    """Read a sandbox server's request log and validate every vendor request in it against the contract.

    ``admin_url`` is the server's base URL (``http://127.0.0.1:PORT``). Returns one line per problem (an empty
    list means every request and answered status fits the contract). Raises FileNotFoundError when the vendor
    contracts are absent (callers skip their test then).
    """
    contracts = contracts or shared_contracts()
    if contracts is None:
        raise FileNotFoundError("vendor contracts (../shared/contracts) are absent")
    base = admin_url.rstrip("/")
    with requests.Session() as session:
        health = session.get(f"{base}/_sandbox/health", timeout=30)
        health.raise_for_status()
        system = health.json()["system"]
        log = session.get(f"{base}/_sandbox/requests", params={"limit": limit}, timeout=60)
        log.raise_for_status()
    return validate_log_entries(contracts, system, log.json())
