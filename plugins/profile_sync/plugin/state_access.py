"""The plugin's one handle on the sync state store, opened on first use and kept for the app's life."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import HTTPException, status


class StoreProvider:
    """Opens the store lazily (``StateStore.from_airflow()`` by default) and reuses its engine's pool."""

    def __init__(self, opener: Callable[[], Any] | None = None) -> None:
        self._opener = opener or _open_from_airflow
        self._store: Any = None
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    try:
                        self._store = self._opener()
                    except Exception as exc:  # the page says why instead of a bare 500
                        raise HTTPException(
                            status.HTTP_503_SERVICE_UNAVAILABLE,
                            f"the sync state store could not be opened: {type(exc).__name__}",
                        ) from exc
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _open_from_airflow() -> Any:
    from profile_sync.state import StateStore

    return StateStore.from_airflow()


def as_json(value: Any) -> Any:
    """Store results (dataclasses, named tuples, pydantic models) as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: as_json(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return as_json(value.model_dump())
    if hasattr(value, "_asdict"):
        return as_json(value._asdict())
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
