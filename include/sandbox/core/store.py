"""In-memory entity tables: records by key, kept in key order and in (updated_at, key) order.

Both orders are maintained incrementally (bisect), so that a page read never sorts the table: the typical
client query "updated since T, ordered by updated_at then id, page N" is a bisect plus a slice.

A filter on other fields ("status in pending,processing") is answered by a `GroupIndex`: the records grouped
by the values of those fields, each group in (updated_at, key) order. The filter picks groups (it never visits
a record); `count_union` and `union_page` find the size of the picked groups' union and one page of it by
bisecting them: a page costs about a page plus a log, whatever the table's size.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any

Key = int | str
Record = dict[str, Any]
Entry = tuple[float, Key]  # (updated_at, key): the order of `Table.keys_by_updated`


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
        self._by_updated: list[Entry] = []
        self._indexes: dict[Hashable, GroupIndex] = {}

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

    def subset(self, candidates: Iterable[Key], since: float | None = None, until: float | None = None) -> list[Key]:
        """The `candidates` (e.g. from a lookup) that are in the table, with since <= updated_at <= until when
        given, in key order: what filtering every key would give, visiting only the candidates."""
        stamps = self._stamps
        lo = float("-inf") if since is None else since
        hi = float("inf") if until is None else until
        return sorted(key for key in set(candidates) if key in stamps and lo <= stamps[key] <= hi)

    def group_index(self, name: Hashable, value_of: Callable[[Record], tuple[Any, ...]]) -> GroupIndex:
        """The index `name` (records grouped by ``value_of(record)``), built on first use (one pass over the
        records) and kept up to date by every later write."""
        index = self._indexes.get(name)
        if index is None:
            index = self._indexes[name] = GroupIndex(value_of)
            index.rebuild(self._records, self._stamps)
        return index

    def count_union(self, groups: Sequence[list[Entry]] | None, *, since: float | None = None,
                    until: float | None = None) -> int:
        """How many entries `groups` (disjoint groups of one `GroupIndex`; None: every record) hold with
        since <= updated_at <= until: a bisection per group, no record visited."""
        lists = [self._by_updated] if groups is None else groups
        return sum(hi - lo for lo, hi in (_range(entries, since, until) for entries in lists))

    def union_page(self, groups: Sequence[list[Entry]] | None, offset: int, limit: int, *,
                   since: float | None = None, until: float | None = None, descending: bool = False) -> list[Key]:
        """Keys ``offset`` to ``offset + limit`` of `groups` (as in `count_union`) in (updated_at, key) order
        (from the end when `descending`), found by bisecting the groups: about a page of work plus a log."""
        lists = [self._by_updated] if groups is None else list(groups)
        bounds = [_range(entries, since, until) for entries in lists]
        total = sum(hi - lo for lo, hi in bounds)
        start, stop = ((max(total - offset - limit, 0), total - offset) if descending
                       else (offset, min(offset + limit, total)))
        if start >= stop:
            return []
        if len(lists) == 1:
            lo = bounds[0][0]
            entries = lists[0][lo + start:lo + stop]
        else:
            first = self._nth(lists, bounds, start, since, until)
            heads = []
            for group, (lo, hi) in zip(lists, bounds, strict=True):
                at = bisect.bisect_left(group, first, lo, hi)
                heads.append(group[at:min(hi, at + stop - start)])
            entries = list(heapq.merge(*heads))[:stop - start]
        keys = [key for _, key in entries]
        return keys[::-1] if descending else keys

    def _nth(self, lists: list[list[Entry]], bounds: list[tuple[int, int]], n: int, since: float | None,
             until: float | None) -> Entry:
        """The n-th (from 0) entry of the union of `lists` (each within its bounds): a binary search over the
        table's whole (updated_at, key) order, counting the entries up to a point by bisecting each list."""
        lo, hi = _range(self._by_updated, since, until)
        while lo < hi:
            mid = (lo + hi) // 2
            point = self._by_updated[mid]
            upto = sum(bisect.bisect_right(group, point, a, b) - a for group, (a, b) in zip(lists, bounds, strict=True))
            if upto > n:
                hi = mid
            else:
                lo = mid + 1
        return self._by_updated[lo]

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
            for index in self._indexes.values():
                index.remove(key, old)
        else:
            bisect.insort(self._keys, key)
            bisect.insort(self._by_updated, (updated_at, key))
        self._records[key] = record
        self._stamps[key] = updated_at
        for index in self._indexes.values():
            index.add(key, record, updated_at)
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
        for index in self._indexes.values():
            index.rebuild(self._records, self._stamps)

    def delete(self, key: Key) -> Record | None:
        """Remove `key`; the removed record or None."""
        record = self._records.pop(key, None)
        if record is None:
            return None
        stamp = self._stamps.pop(key)
        self._keys.pop(bisect.bisect_left(self._keys, key))
        self._by_updated.pop(bisect.bisect_left(self._by_updated, (stamp, key)))
        for index in self._indexes.values():
            index.remove(key, stamp)
        return record

    def clear(self) -> None:
        self.load(())


class GroupIndex:
    """A table's records grouped by ``value_of(record)`` (a tuple of field values), each group a list of
    (updated_at, key) entries in order. ``usable`` is False while a record's values cannot be grouped (an
    unhashable value): then the searches visit the records instead."""

    def __init__(self, value_of: Callable[[Record], tuple[Any, ...]]) -> None:
        self.value_of = value_of
        self.groups: dict[tuple[Any, ...], list[Entry]] = {}
        self._values: dict[Key, tuple[Any, ...]] = {}  # what each key was grouped by (records may be edited in place)
        self._ungrouped = 0

    @property
    def usable(self) -> bool:
        return self._ungrouped == 0

    def add(self, key: Key, record: Record, stamp: float) -> None:
        value = self.value_of(record)
        try:
            group = self.groups.setdefault(value, [])
        except TypeError:
            self._ungrouped += 1
            return
        self._values[key] = value
        bisect.insort(group, (stamp, key))

    def remove(self, key: Key, stamp: float) -> None:
        if key not in self._values:
            self._ungrouped -= 1
            return
        value = self._values.pop(key)
        group = self.groups[value]
        group.pop(bisect.bisect_left(group, (stamp, key)))
        if not group:
            del self.groups[value]

    def rebuild(self, records: dict[Key, Record], stamps: dict[Key, float]) -> None:
        self.groups, self._values, self._ungrouped = {}, {}, 0
        for key, record in records.items():
            value = self.value_of(record)
            try:
                self.groups.setdefault(value, []).append((stamps[key], key))
            except TypeError:
                self._ungrouped += 1
                continue
            self._values[key] = value
        for group in self.groups.values():
            group.sort()


def _range(entries: list[Entry], since: float | None, until: float | None) -> tuple[int, int]:
    """The slice of `entries` (in (updated_at, key) order) with since <= updated_at <= until."""
    lo = 0 if since is None else bisect.bisect_left(entries, (since,))
    hi = len(entries) if until is None else bisect.bisect_right(entries, (until, _TOP))
    return lo, max(lo, hi)


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
