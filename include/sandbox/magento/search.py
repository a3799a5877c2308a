"""Magento ``searchCriteria``: parsing the bracketed query parameters and running them over a `Table`.

Both spellings Magento accepts are read: ``filter_groups``/``filterGroups``, ``condition_type``/``conditionType``,
``sort_orders``/``sortOrders``, ``page_size``/``pageSize``, ``current_page``/``currentPage``. Filters inside one
group are OR-ed, groups are AND-ed. A ``currentPage`` past the end answers the LAST page again (the quirk).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sandbox.core.store import Entry, Key, Record, Table

_PART = re.compile(r"\[([^\]]*)\]")
_ALIASES = {"filterGroups": "filter_groups", "conditionType": "condition_type", "sortOrders": "sort_orders",
            "pageSize": "page_size", "currentPage": "current_page"}
CONDITIONS = frozenset({"eq", "neq", "gt", "gteq", "lt", "lteq", "in", "nin", "like", "nlike", "null", "notnull",
                        "from", "to", "finset"})
MAGENTO_TIME = "%Y-%m-%d %H:%M:%S"


class SearchCriteriaError(ValueError):
    """A searchCriteria Magento would refuse (answered 400)."""


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    condition_type: str = "eq"


@dataclass
class SearchCriteria:
    filter_groups: list[list[Filter]] = field(default_factory=list)
    sort_orders: list[tuple[str, str]] = field(default_factory=list)
    page_size: int | None = None
    current_page: int | None = None

    def echo(self, current_page: int | None = None) -> dict[str, Any]:
        """The ``search_criteria`` object of the answer (what was asked)."""
        out: dict[str, Any] = {"filter_groups": [
            {"filters": [{"field": f.field, "value": f.value, "condition_type": f.condition_type} for f in group]}
            for group in self.filter_groups]}
        if self.sort_orders:
            out["sort_orders"] = [{"field": f, "direction": d} for f, d in self.sort_orders]
        if self.page_size is not None:
            out["page_size"] = self.page_size
        if self.current_page is not None:
            out["current_page"] = self.current_page if current_page is None else current_page
        return out


def magento_time(ts: float) -> str:
    """Epoch seconds -> ``2024-05-01 10:00:00`` (UTC, as Magento writes dates)."""
    return datetime.fromtimestamp(ts, UTC).strftime(MAGENTO_TIME)


def parse_time(value: str) -> float:
    """A date filter value (``2024-05-01 10:00:00``, ISO 8601 with T/offset, or a date) -> epoch seconds."""
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise SearchCriteriaError(f'Invalid date value "{value}".') from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _normal_time(value: str) -> str:
    try:
        return magento_time(parse_time(value))
    except SearchCriteriaError:
        return value


def parse_search_criteria(params: Iterable[tuple[str, str]]) -> SearchCriteria:
    """``searchCriteria[...]`` query parameters -> `SearchCriteria`."""
    tree: dict[str, Any] = {}
    for name, value in params:
        if not name.startswith("searchCriteria"):
            continue
        parts = [_ALIASES.get(p, p) for p in _PART.findall(name[len("searchCriteria"):])]
        if not parts:
            continue
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise SearchCriteriaError(f'"{name}" is not a valid search criteria parameter.')
        node[parts[-1]] = value
    criteria = SearchCriteria()
    for _, group in sorted(_indexed(tree.get("filter_groups", {}))):
        filters = []
        for _, raw in sorted(_indexed(group.get("filters", {}) if isinstance(group, dict) else {})):
            if not isinstance(raw, dict) or "field" not in raw:
                raise SearchCriteriaError('"field" is required. Enter and try again.')
            condition = str(raw.get("condition_type") or "eq").lower()
            if condition not in CONDITIONS:
                raise SearchCriteriaError(f'Invalid condition type "{condition}".')
            filters.append(Filter(str(raw["field"]), str(raw.get("value", "")), condition))
        if filters:
            criteria.filter_groups.append(filters)
    for _, raw in sorted(_indexed(tree.get("sort_orders", {}))):
        if isinstance(raw, dict) and raw.get("field"):
            direction = str(raw.get("direction") or "ASC").upper()
            if direction not in ("ASC", "DESC"):
                raise SearchCriteriaError(f'Sort order "{direction}" is not supported.')
            criteria.sort_orders.append((str(raw["field"]), direction))
    for name in ("page_size", "current_page"):
        if name in tree:
            try:
                setattr(criteria, name, int(tree[name]))
            except (TypeError, ValueError):
                raise SearchCriteriaError(f'"{name}" must be an integer.') from None
    return criteria


def _indexed(node: Any) -> list[tuple[int, Any]]:
    if not isinstance(node, dict):
        return []
    out = []
    for key, value in node.items():
        try:
            out.append((int(key), value))
        except ValueError:
            raise SearchCriteriaError(f'"{key}" is not a valid index.') from None
    return out


FieldGetter = Callable[[Record, str], Any]


def plain_field(record: Record, name: str) -> Any:
    """Top-level field, else a custom attribute of that code."""
    if name in record:
        return record[name]
    for attr in record.get("custom_attributes") or ():
        if attr.get("attribute_code") == name:
            return attr.get("value")
    return None


def _comparable(a: Any, b: str) -> tuple[Any, Any]:
    if isinstance(a, bool):
        a = int(a)
    if isinstance(a, int | float):
        try:
            return a, float(b)
        except ValueError:
            return str(a), b
    return ("" if a is None else str(a)), b


def _like(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(p).replace("_", ".") for p in pattern.split("%")) + "$",
                      re.IGNORECASE | re.DOTALL)


def _value_test(f: Filter, time_fields: frozenset[str]) -> Callable[[Any], bool]:
    """The filter's test of one field value (the value `EntitySpec.get` reads from a record)."""
    cond = f.condition_type
    value = _normal_time(f.value) if f.field in time_fields else f.value
    if cond in ("null", "notnull"):
        want_null = cond == "null"
        return lambda actual: (actual in (None, "")) == want_null
    if cond in ("in", "nin", "finset"):
        values = {v.strip() for v in value.split(",")}
        if cond == "finset":
            return lambda actual: bool(values & {s.strip() for s in str(actual or "").split(",")})
        positive = cond == "in"
        return lambda actual: (_text(actual) in values) == positive
    if cond in ("like", "nlike"):
        pattern = _like(value)
        positive = cond == "like"
        return lambda actual: bool(pattern.match(_text(actual))) == positive
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "eq": lambda a, b: a == b, "neq": lambda a, b: a != b, "gt": lambda a, b: a > b,
        "gteq": lambda a, b: a >= b, "from": lambda a, b: a >= b, "lt": lambda a, b: a < b,
        "lteq": lambda a, b: a <= b, "to": lambda a, b: a <= b}
    op = ops[cond]

    def test(actual: Any) -> bool:
        if actual is None and cond not in ("neq",):
            return False
        a, b = _comparable(actual, value)
        try:
            return op(a, b)
        except TypeError:
            return op(str(a), str(b))

    return test


def _matcher(f: Filter, get: FieldGetter, time_fields: frozenset[str]) -> Callable[[Record], bool]:
    test, name = _value_test(f, time_fields), f.field
    return lambda record: test(get(record, name))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return str(int(value))
    return "" if value is None else str(value)


@dataclass(frozen=True)
class EntitySpec:
    """How searchCriteria map onto one entity's table: its id field(s), which fields are dates, which date
    field the table's updated_at index mirrors (None when the entity has none), and field aliases."""

    id_fields: frozenset[str] = frozenset({"id", "entity_id"})
    updated_field: str | None = "updated_at"
    time_fields: frozenset[str] = frozenset({"created_at", "updated_at"})
    aliases: dict[str, str] = field(default_factory=dict)
    get: FieldGetter = plain_field
    # An EAV entity (products, customers): its collection sorts through addAttributeToSort, which finds no
    # attribute "id" and drops that sort silently (the key is entity_id); and MySQL gives rows with equal sort
    # values no order, so such ties come in an order that differs from one page request to the next.
    eav: bool = False
    # Fields whose filters are answered from the table's group index (`Table.group_index`): a page sorted by
    # updated_at whose every filter is on these fields (or is the updated_at range) never visits a record.
    indexed: tuple[str, ...] = ()


@dataclass
class SearchResult:
    items: list[Record]
    total_count: int
    current_page: int | None


def run_search(table: Table, criteria: SearchCriteria, spec: EntitySpec) -> SearchResult:
    """Filter, sort and page `table` as Magento's repositories do (with the past-the-end quirk)."""
    since = until = None
    groups: list[list[Filter]] = []
    for group in criteria.filter_groups:
        only = group[0] if len(group) == 1 else None
        if (only is not None and spec.updated_field and only.field == spec.updated_field
                and only.condition_type in ("gteq", "from", "lteq", "to", "gt", "lt")):
            # the updated_at range is answered from the table's index, not by visiting records
            point = parse_time(only.value)
            if only.condition_type in ("gteq", "from"):
                since = point if since is None else max(since, point)
            elif only.condition_type == "gt":
                since = point + 1 if since is None else max(since, point + 1)
            elif only.condition_type in ("lteq", "to"):  # stamps carry sub-seconds the answer does not show
                until = point + 0.999999 if until is None else min(until, point + 0.999999)
            else:
                until = point - 1e-6 if until is None else min(until, point - 1e-6)
            continue
        groups.append(group)

    requested = [(f, d) for f, d in criteria.sort_orders if not (spec.eav and f == "id")]
    sorts = [(spec.aliases.get(f, f), d) for f, d in requested]
    by_updated = bool(sorts) and sorts[0][0] == spec.updated_field and all(f in spec.id_fields for f, _ in sorts[1:2]) \
        and len(sorts) <= 2 and len({d for _, d in sorts}) == 1
    ties = spec.eav and bool(sorts) and sorts[-1][0] not in spec.id_fields
    size = criteria.page_size

    if by_updated and not ties and size and size > 0:
        picked = _picked_groups(table, groups, spec)
        if picked is not _VISIT:  # a page and its total from the indexes: no record is visited
            total = table.count_union(picked, since=since, until=until)
            page = min(max(criteria.current_page or 1, 1), max((total + size - 1) // size, 1))
            keys = table.union_page(picked, (page - 1) * size, size, since=since, until=until,
                                    descending=sorts[0][1] == "DESC")
            return SearchResult(table.page(keys, 0, size), total, criteria.current_page)

    def getter(record: Record, name: str) -> Any:
        return spec.get(record, spec.aliases.get(name, name))

    predicates: list[Callable[[Record], bool]] = []
    for group in groups:
        matchers = [_matcher(f, getter, spec.time_fields) for f in group]
        predicates.append(matchers[0] if len(matchers) == 1 else (lambda r, ms=matchers: any(m(r) for m in ms)))

    def predicate(record: Record) -> bool:
        return all(p(record) for p in predicates)

    if by_updated:
        keys = table.select(predicate if predicates else None, order="updated_at", since=since, until=until,
                            descending=sorts[0][1] == "DESC")
    elif not sorts or (len(sorts) == 1 and sorts[0][0] in spec.id_fields):
        keys = table.select(predicate if predicates else None, order="key", since=since, until=until,
                            descending=bool(sorts) and sorts[0][1] == "DESC")
    else:
        keys = table.select(predicate if predicates else None, order="key", since=since, until=until)
        keys = _sorted(table, keys, sorts, spec)
    if ties:
        keys = _unordered_ties(table, keys, [f for f, _ in sorts], spec, criteria.current_page or 1)

    total = len(keys)
    if not size or size <= 0:
        return SearchResult(table.page(keys, 0, total), total, criteria.current_page)
    last_page = max((total + size - 1) // size, 1)
    page = min(max(criteria.current_page or 1, 1), last_page)
    return SearchResult(table.page(keys, (page - 1) * size, size), total, criteria.current_page)


_VISIT: Any = object()  # _picked_groups: the filters need the records themselves


def _picked_groups(table: Table, groups: list[list[Filter]], spec: EntitySpec) -> list[list[Entry]] | None:
    """The groups of the table's index on ``spec.indexed`` whose values pass every filter group (None: no
    filter, every record), or _VISIT when a filter is on a field outside the index. Each filter is tested once
    per distinct combination of values, never per record."""
    if not groups:
        return None
    position = {name: i for i, name in enumerate(spec.indexed)}
    names = [[spec.aliases.get(f.field, f.field) for f in group] for group in groups]
    if not all(name in position for group in names for name in group):
        return _VISIT
    fields, get = spec.indexed, spec.get
    index = table.group_index(("search", fields, get), lambda record: tuple(get(record, name) for name in fields))
    if not index.usable:
        return _VISIT
    tests = [[(position[name], _value_test(f, spec.time_fields)) for f, name in zip(group, group_names, strict=True)]
             for group, group_names in zip(groups, names, strict=True)]
    return [entries for value, entries in index.groups.items()
            if all(any(test(value[at]) for at, test in group) for group in tests)]


def _unordered_ties(table: Table, keys: list[Key], fields: list[str], spec: EntitySpec, page: int) -> list[Key]:
    """Rows with equal values in every sort field, in an order of their own for each requested page."""
    out: list[Key] = []
    group: list[Key] = []
    last: tuple[Any, ...] | None = None
    for key in keys:
        record = table.get(key) or {}
        values = tuple(_text(spec.get(record, name)) for name in fields)
        if values != last and group:
            out += sorted(group, key=lambda k: zlib.crc32(f"{k}:{page}".encode()))
            group = []
        group.append(key)
        last = values
    out += sorted(group, key=lambda k: zlib.crc32(f"{k}:{page}".encode()))
    return out


def _sorted(table: Table, keys: list[Key], sorts: list[tuple[str, str]], spec: EntitySpec) -> list[Key]:
    out = list(keys)
    for name, direction in reversed(sorts):  # stable sorts, least significant first
        def sort_key(k: Key, name: str = name) -> tuple[int, Any]:
            value = spec.get(table.get(k) or {}, name)
            if value is None:
                return (0, "")
            return (1, value) if isinstance(value, int | float) else (2, str(value))
        out.sort(key=sort_key, reverse=direction == "DESC")
    return out
