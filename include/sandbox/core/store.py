"""In-memory entity tables: records by key, kept in key order and in (updated_at, key) order.

Both orders are maintained incrementally (bisect), so that a page read never sorts the table: the typical
client query "updated since T, ordered by updated_at then id, page N" is a bisect plus a slice.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Key = int | str
Record = dict[str, Any]


class Table:
    """One entity's records. Keys are ints or strings (never mixed in one table).

    Records are plain dicts in the system's own wire shape; the table additionally keeps a numeric
    ``updated_at`` (epoch seconds) per key for the change filters and the updated_at order.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._records: dict[Key, Record] = {}
        self._stamps: dict[Key, float] = {}
        self._keys: list[Key] = []
        self._by_updated: list[tuple[float, Key]] = []

    # --- reads -------------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def get(self, key: Key) -> Record | None:
        """The record stored under `key`, or None."""
        return self._records.get(key)

    def updated_at(self, key: Key) -> float:
        """The numeric updated_at of `key` (epoch seconds)."""
        return self._stamps[key]

    def keys(self) -> list[Key]:
        """All keys in ascending key order (the list is shared: do not modify it)."""
        return self._keys

    def records(self) -> Iterator[Record]:
        """All records in ascending key order."""
        return (self._records[k] for k in self._keys)

    def keys_by_updated(self, since: float | None = None, until: float | None = None,
                        *, since_inclusive: bool = True, until_inclusive: bool = True) -> list[Key]:
        """Keys ordered by (updated_at, key), restricted to since <= updated_at <= until (bounds optional)."""
        index = self._by_updated
        lo = 0
        hi = len(index)
        if since is not None:
            lo = bisect.bisect_left(index, (since,)) if since_inclusive else bisect.bisect_right(index, (since, _TOP))
        if until is not None:
            hi = bisect.bisect_right(index, (until, _TOP)) if until_inclusive else bisect.bisect_left(index, (until,))
        return [key for _, key in index[lo:hi]]

    def select(self, predicate: Callable[[Record], bool] | None = None, *, order: str = "key",
               since: float | None = None, until: float | None = None, descending: bool = False) -> list[Key]:
        """Keys of records matching `predicate`, in `order` ("key" or "updated_at"), optionally limited to an
        updated_at range. Cheap when `predicate` is None (no record is visited)."""
        if order == "updated_at" or since is not None or until is not None:
            keys = self.keys_by_updated(since, until)
            if order == "key":
                keys.sort()
        else:
            keys = self._keys
        if predicate is not None:
            records = self._records
            keys = [k for k in keys if predicate(records[k])]
        if descending:
            return keys[::-1]
        return keys

    def page(self, keys: list[Key], offset: int, limit: int) -> list[Record]:
        """The records of keys[offset:offset+limit]."""
        records = self._records
        return [records[k] for k in keys[offset:offset + limit]]

    def next_key(self, start: int = 1) -> int:
        """The next free integer key (max + 1, at least `start`)."""
        if not self._keys:
            return start
        last = self._keys[-1]
        return max(int(last) + 1, start) if isinstance(last, int) else start + len(self._keys)

    # --- writes ------------------------------------------------------------------------------------------
    def put(self, key: Key, record: Record, updated_at: float) -> Record:
        """Insert or replace `key`, with its numeric updated_at."""
        if key in self._records:
            old = self._stamps[key]
            if old != updated_at:
                self._by_updated.pop(bisect.bisect_left(self._by_updated, (old, key)))
                bisect.insort(self._by_updated, (updated_at, key))
        else:
            bisect.insort(self._keys, key)
            bisect.insort(self._by_updated, (updated_at, key))
        self._records[key] = record
        self._stamps[key] = updated_at
        return record

    def load(self, items: Iterable[tuple[Key, Record, float]]) -> None:
        """Bulk load (replaces everything): one sort instead of n insertions."""
        self._records = {}
        self._stamps = {}
        for key, record, stamp in items:
            self._records[key] = record
            self._stamps[key] = stamp
        self._keys = sorted(self._records)
        self._by_updated = sorted((stamp, key) for key, stamp in self._stamps.items())

    def delete(self, key: Key) -> Record | None:
        """Remove `key`; the removed record or None."""
        record = self._records.pop(key, None)
        if record is None:
            return None
        stamp = self._stamps.pop(key)
        self._keys.pop(bisect.bisect_left(self._keys, key))
        self._by_updated.pop(bisect.bisect_left(self._by_updated, (stamp, key)))
        return record

    def clear(self) -> None:
        self.load(())


class _Top:
    """Compares greater than any key, so (t, _TOP) sorts after every (t, key)."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Top)

    def __hash__(self) -> int:
        return 0


_TOP: Any = _Top()


def paginate(total: int, page_size: int, page: int) -> tuple[int, int]:
    """(offset, limit) for a 1-based `page` of `page_size`."""
    return (max(page, 1) - 1) * page_size, page_size
