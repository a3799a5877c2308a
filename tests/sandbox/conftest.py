"""Sandbox test fixtures: one real server process per system for the session, reset before each test."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

INCLUDE = Path(__file__).resolve().parents[2] / "include"
if str(INCLUDE) not in sys.path:
    sys.path.insert(0, str(INCLUDE))

from sandbox.core.testing import SandboxAdmin, running_sandbox  # noqa: E402
from tests.sandbox.magento_client import MagentoClient  # noqa: E402


def _server(system: str) -> Iterator[str]:
    with running_sandbox(seed=1, scale="tiny", systems=(system,)) as urls:
        yield getattr(urls, system)


@pytest.fixture(scope="session")
def magento_url() -> Iterator[str]:
    """Base URL of a Magento sandbox process (tiny scale) shared by the session."""
    yield from _server("magento")


@pytest.fixture(scope="session")
def plenty_url() -> Iterator[str]:
    yield from _server("plenty")


@pytest.fixture(scope="session")
def freeagent_url() -> Iterator[str]:
    yield from _server("freeagent")


@pytest.fixture
def magento_admin(magento_url: str) -> Iterator[SandboxAdmin]:
    """The Magento admin client, after a reset to seed 1 / tiny (so every test starts from the same data)."""
    admin = SandboxAdmin(magento_url)
    admin.reset(seed=1, scale="tiny")
    yield admin
    with contextlib.suppress(requests.RequestException):
        admin.clear_faults()


@pytest.fixture
def magento(magento_admin: SandboxAdmin, magento_url: str) -> MagentoClient:
    """A logged-in Magento client against freshly reset data."""
    client = MagentoClient(magento_url)
    client.login()
    return client
