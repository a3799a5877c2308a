"""The contract check of a test's recorded traffic, for calls at a chosen point of a test (the integration conftest
runs the same check after every test that uses the sandbox)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest


def assert_traffic_fits_the_contracts(urls: Iterable[str | None]) -> None:
    """Every request logged by the servers at ``urls`` since their last reset fits the vendor contracts, known
    defects and findings aside (tests/contracts/recorded.py). Skips where ../shared/contracts is absent."""
    from tests.contracts.recorded import check_traffic

    try:
        report = check_traffic([url for url in urls if url])
    except FileNotFoundError as exc:
        pytest.skip(f"contract check skipped: {exc}")
    failures = report.failures()
    assert not failures, f"{len(failures)} contract problems in the recorded traffic:\n" + "\n".join(failures[:20])


def assert_admin_traffic_fits_the_contracts(admin: dict[str, Any]) -> None:
    """The same for the admin clients of the ``admin`` fixture (all three servers)."""
    assert_traffic_fits_the_contracts(client.base_url for client in admin.values())
