"""Where the sync state store lives: the Airflow connection ``sync_state``, else SQLite under ``AIRFLOW_HOME``.

The only module of the state package that touches Airflow, and only lazily, so the store itself works (and is
tested) without Airflow running.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from profile_sync.deployment import check_state_url

log = logging.getLogger(__name__)

DEFAULT_CONN_ID = "sync_state"
DEFAULT_FILE_NAME = "profile_sync_state.db"
# libpq options a connection's extras may carry into the URL; anything else in extras is ignored
_LIBPQ_OPTIONS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "connect_timeout",
        "application_name",
        "options",
        "target_session_attrs",
    }
)
_POSTGRES_TYPES = frozenset({"postgres", "postgresql"})


class StateConnectionError(RuntimeError):
    """The ``sync_state`` connection is set but its store cannot be read or reached: never a silent fallback."""


def resolve_url(conn_id: str = DEFAULT_CONN_ID) -> str:
    """The store's SQLAlchemy URL: from the Airflow connection ``conn_id`` when defined, else the default SQLite file.

    The connection may carry the URL in its extra ``url``, or be an ordinary ``postgres``/``sqlite`` connection.
    A SQLite store under a distributed executor is refused (``DeploymentError``, saying what to set).
    """
    url = url_from_airflow_connection(conn_id)
    url = url if url is not None else default_sqlite_url()
    check_state_url(url, conn_id=conn_id)
    return url


def default_sqlite_url() -> str:
    """``sqlite:///$AIRFLOW_HOME/profile_sync_state.db`` (Airflow's own default home when the variable is unset)."""
    home = Path(os.environ.get("AIRFLOW_HOME") or Path.home() / "airflow")
    return f"sqlite:///{home / DEFAULT_FILE_NAME}"


def normalise_url(url: str | URL) -> str:
    """Pick the driver this package pins (psycopg 3) for bare ``postgres://``/``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_TYPES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def redacted(url: str | URL) -> str:
    """The URL as it may be logged: never with its password."""
    return make_url(url).render_as_string(hide_password=True)


def url_from_airflow_connection(conn_id: str) -> str | None:
    """The URL the Airflow connection describes, or None when no such connection is defined."""
    try:
        from airflow.sdk import BaseHook
        from airflow.sdk.exceptions import AirflowNotFoundException
    except ImportError:  # Airflow is not installed here: only the environment variable can say
        raw = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
        return url_from_env_value(raw) if raw else None
    try:
        conn = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:  # not defined anywhere: the default store
        log.debug("connection %r is not defined: using the default state store", conn_id)
        return None
    except Exception as exc:
        # Set but not readable (a secrets backend that denies, a worker that cannot ask the API server): falling
        # back to a per-machine SQLite file here would split the ID map, so the task fails and says why.
        raise StateConnectionError(
            f"the Airflow connection {conn_id!r} (the sync state store) could not be read: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    return url_from_connection_fields(
        conn_type=conn.conn_type,
        host=conn.host,
        login=conn.login,
        password=conn.password,
        port=conn.port,
        schema=conn.schema,
        extra=conn.extra_dejson,
    )


def url_from_connection_fields(
    *,
    conn_type: str | None,
    host: str | None,
    login: str | None,
    password: str | None,
    port: int | None,
    schema: str | None,
    extra: dict[str, Any] | None,
) -> str:
    """Build the SQLAlchemy URL from an Airflow connection's fields (extra ``url`` wins when present)."""
    extra = extra or {}
    if extra.get("url"):
        return normalise_url(str(extra["url"]))
    kind = (conn_type or "").lower()
    if kind == "sqlite":
        path = host or schema
        if not path:
            raise ValueError("a sqlite sync_state connection needs the database file path as its host")
        return f"sqlite:///{path}"
    if kind in _POSTGRES_TYPES or kind.startswith("postgresql+"):
        query = {key: str(value) for key, value in extra.items() if key in _LIBPQ_OPTIONS}
        return URL.create(
            "postgresql+psycopg" if kind in _POSTGRES_TYPES else kind,
            username=login or None,
            password=password or None,
            host=host or None,
            port=port or None,
            database=schema or None,
            query=query,
        ).render_as_string(hide_password=False)
    raise ValueError(
        f"the sync_state connection has type {conn_type!r}: use 'postgres' or 'sqlite', "
        "or put a SQLAlchemy URL in its extra 'url'"
    )


def url_from_env_value(raw: str) -> str:
    """An ``AIRFLOW_CONN_*`` value read without Airflow: a URI, or Airflow's JSON form."""
    if raw.lstrip().startswith("{"):
        data = json.loads(raw)
        return url_from_connection_fields(
            conn_type=data.get("conn_type"),
            host=data.get("host"),
            login=data.get("login"),
            password=data.get("password"),
            port=data.get("port"),
            schema=data.get("schema"),
            extra=data.get("extra") if isinstance(data.get("extra"), dict) else json.loads(data.get("extra") or "{}"),
        )
    return normalise_url(raw)
