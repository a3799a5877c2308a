"""State store fixtures: a fresh store per test on SQLite, and on PostgreSQL when one is reachable.

PostgreSQL: set ``PROFILE_SYNC_TEST_PG_URL`` (for example ``postgresql://postgres@127.0.0.1:5432/postgres``);
each test gets a schema of its own there, dropped afterwards. Without it the PostgreSQL cases skip, saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from profile_sync.state import StateStore
from profile_sync.state.url import normalise_url

PG_ENV = "PROFILE_SYNC_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_base_url() -> str:
    """The test server's URL, or skip the test with the reason."""
    raw = os.environ.get(PG_ENV)
    if not raw:
        pytest.skip(f"no PostgreSQL server for the tests: set {PG_ENV} to run the PostgreSQL cases")
    url = normalise_url(raw)
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        pytest.skip(f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} unreachable: {exc}")
    return url


def _schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.db'}"


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    base = postgres_base_url()
    schema = f"state_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _schema_url(base, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty store URL, once per backend."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def store(store_url: str) -> Iterator[StateStore]:
    """A migrated store with profile ``orders`` (plenty order export) registered."""
    opened = StateStore(store_url)
    opened.register_profile("orders", "plenty", "order", "export")
    try:
        yield opened
    finally:
        opened.close()
