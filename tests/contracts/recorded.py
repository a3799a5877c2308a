"""Validate what a sandbox server actually received (its ``/_sandbox/requests`` log) against the contract.

Every integration test checks the traffic of its real DAG runs (tests/integration/conftest.py does it after each
test), so that every request the connectors sent is proven to be one the real API would accept:

    report = check_traffic([urls.magento, urls.plenty, urls.freeagent])
    assert report.failures() == []

`check_traffic` sets aside what `tests.contracts.errata` lists as known: contract problems of profiles owned by
another area (`KNOWN_DEFECTS`, each with the issue point that fixes it) and PlentyONE properties the vendor
ignores (`KNOWN_PLENTY_FINDINGS`). A problem or finding that is not listed is a failure. A request that fell out
of the sandbox's request log (a ring of 2,000 entries) is a failure too: "all the traffic" means all of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import requests

from tests.contracts.errata import KNOWN_DEFECTS, KNOWN_PLENTY_FINDINGS, KnownDefect, KnownFinding
from tests.contracts.spec import ContractSet, shared_contracts

# a JSON-lines file to append every raw problem and finding to (for maintaining the errata); off when unset
DUMP_ENV = "PROFILE_SYNC_CONTRACT_DUMP"

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


@dataclass
class TrafficReport:
    """What the recorded traffic of one or more servers shows, split into what fails and what is known."""

    requests: int = 0
    problems: list[str] = field(default_factory=list)  # contract problems not listed as known defects
    findings: list[str] = field(default_factory=list)  # PlentyONE ignored properties not listed as known
    lost: list[str] = field(default_factory=list)  # requests the sandbox's log no longer holds
    known_defects: set[KnownDefect] = field(default_factory=set)
    known_findings: set[KnownFinding] = field(default_factory=set)

    def failures(self) -> list[str]:
        return [*self.lost, *self.problems, *(f"{f} (not in errata.KNOWN_PLENTY_FINDINGS)" for f in self.findings)]


def _known_defect(contracts: ContractSet, system: str, method: str, path: str, problem: str) -> KnownDefect | None:
    op = contracts.match(system, method, path)
    contract_path = op.contract_path if op is not None else path
    for defect in KNOWN_DEFECTS:
        if (defect.system, defect.method, defect.path) == (system, method, contract_path) and defect.problem in problem:
            return defect
    return None


def _known_finding(method: str, contract_path: str, text: str) -> KnownFinding | None:
    for known in KNOWN_PLENTY_FINDINGS:
        if (known.method, known.path, known.finding) == (method, contract_path, text):
            return known
    return None


def check_log_entries(
    contracts: ContractSet, system: str, entries: list[dict[str, Any]], report: TrafficReport
) -> None:
    """Add the problems and findings of one server's logged requests to ``report``."""
    dump: list[dict[str, str]] = []
    for entry in entries:
        path = entry["path"]
        if path.startswith("/_sandbox"):
            continue
        method = entry["method"].upper()
        report.requests += 1
        for problem in validate_log_entries(contracts, system, [entry]):
            dump.append({"system": system, "kind": "problem", "text": problem})
            known = _known_defect(contracts, system, method, path, problem)
            if known is None:
                report.problems.append(problem)
            else:
                report.known_defects.add(known)
        body, _ = _body_of(entry)
        if system != "plenty" or body is None:
            continue
        op = contracts.match(system, method, path)
        for finding in contracts.audit_request(system, method, path, body):
            text = finding.text()
            contract_path = op.contract_path if op is not None else path
            dump.append({"system": system, "kind": "finding", "method": method, "path": contract_path, "text": text})
            known = _known_finding(method, contract_path, text)
            if known is None:
                report.findings.append(f"{system} {method} {path}: {text}")
            else:
                report.known_findings.add(known)
    target = os.environ.get(DUMP_ENV)
    if target and dump:
        with open(target, "a", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row) + "\n" for row in dump)


def check_traffic(
    admin_urls: Iterable[str], limit: int = 100_000, contracts: ContractSet | None = None
) -> TrafficReport:
    """The report of every vendor request the servers at ``admin_urls`` logged since their last reset.

    Raises FileNotFoundError when the vendor contracts are absent (callers skip the check then)."""
    contracts = contracts or shared_contracts()
    if contracts is None:
        raise FileNotFoundError("vendor contracts (../shared/contracts) are absent")
    report = TrafficReport()
    for admin_url in admin_urls:
        base = admin_url.rstrip("/")
        with requests.Session() as session:
            health = session.get(f"{base}/_sandbox/health", timeout=30)
            health.raise_for_status()
            system = health.json()["system"]
            entries = session.get(f"{base}/_sandbox/requests", params={"limit": limit}, timeout=60)
            entries.raise_for_status()
            stats = session.get(f"{base}/_sandbox/stats", timeout=30)
            stats.raise_for_status()
        logged = entries.json()
        total = int(stats.json().get("requests") or 0)
        if total > len(logged):
            report.lost.append(
                f"{system}: {total - len(logged)} of {total} requests fell out of the sandbox's request log and "
                "were not checked (clear the log between runs, or run fewer requests per test)"
            )
        check_log_entries(contracts, system, logged, report)
    return report
