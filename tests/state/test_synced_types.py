"""A profile id keeps the type it first synced as; the loader reads those types cheaply without creating a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from profile_sync.state import ProfileTypeChanged, StateStore
from profile_sync.state.synced_types import synced_profile_types


def test_registering_the_same_type_again_is_a_no_op(store: StateStore) -> None:
    store.register_profile("orders", "plenty", "order", "export")
    assert store.profile_types() == {"orders": ("plenty", "order", "export")}


@pytest.mark.parametrize(
    "given",
    [("plenty", "order", "import"), ("plenty", "customer", "export"), ("freeagent", "invoice", "export")],
)
def test_a_changed_type_is_refused_with_a_message_saying_to_create_a_new_profile(
    store: StateStore, given: tuple[str, str, str]
) -> None:
    with pytest.raises(ProfileTypeChanged) as caught:
        store.register_profile("orders", *given)
    error = caught.value
    assert error.profile_id == "orders"
    assert error.stored == ("plenty", "order", "export")
    assert error.given == given
    message = str(error)
    assert "entity and direction" in message and "cannot change" in message
    assert "Create a new profile" in message
    assert store.profile_types()["orders"] == ("plenty", "order", "export")  # the stored type is untouched


def test_profile_types_lists_every_profile(store: StateStore) -> None:
    store.register_profile("stock", "plenty", "stock", "import")
    assert store.profile_types() == {
        "orders": ("plenty", "order", "export"),
        "stock": ("plenty", "stock", "import"),
    }


def test_parse_time_read_of_a_missing_sqlite_store_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    assert synced_profile_types(f"sqlite:///{path}") == {}
    assert not path.exists()


def test_parse_time_read_returns_the_stored_types(store_url: str, store: StateStore) -> None:
    assert synced_profile_types(store_url) == {"orders": ("plenty", "order", "export")}


def test_parse_time_read_of_a_database_without_the_schema_is_empty(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    sqlite3.connect(path).close()
    assert synced_profile_types(f"sqlite:///{path}") == {}
