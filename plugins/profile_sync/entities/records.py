"""What flows from fetch to push: the vendor's record, its envelope, the record shaped for the target, and the
error that makes a record a failed entry.

Fetch hands each record to transform in a ``Fetched`` envelope: ``record``, the vendor's record as read (never
written to), and ``joined``, what fetch read beside it for transform (the record's store view, a parent's SKU,
texts, an order, an address's resolved country and region), typed by the type's own Struct (``join_type``). The
engine stages the envelopes between the tasks and decodes them with that type.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

import msgspec

Record = dict[str, Any]
ALL_STORES = "*"


class RecordError(Exception):
    """A record that cannot be synced as it is (bad data, unknown reference): a failed entry with this reason."""


def shown(value: Any) -> str:
    """A source value as a reason shows it: its repr, cut to 80 characters (a reason never carries 100 KB)."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def number(value: Any, what: str) -> float:
    """A finite number from a field of a source record, or a RecordError naming the field (`what`) and the value."""
    if isinstance(value, bool):
        raise RecordError(f"{what} {value!r} is not a number")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise RecordError(f"{what} {shown(value)} is not a number") from None
    if not math.isfinite(result):
        raise RecordError(f"{what} {shown(value)} is not a finite number")
    return result


def objects(value: Any, what: str) -> list[dict[str, Any]]:
    """A source field that must be a list of objects (None: empty), or a RecordError naming it."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"{what} {shown(value)} is not a list")
    if bad := next((entry for entry in value if not isinstance(entry, dict)), None):
        raise RecordError(f"{what}: {shown(bad)} is not an object")
    return value


JoinT = TypeVar("JoinT")


class NoJoin(msgspec.Struct):
    """The join of a type whose transform reads nothing beside the record."""


class Fetched(msgspec.Struct, Generic[JoinT]):
    """A fetched record on its way to transform: the vendor's record as read, and what fetch joined to it."""

    record: Record
    joined: JoinT


NO_JOIN = NoJoin()  # no fields: one instance serves every record


def unjoined(records: Iterable[Record]) -> list[Fetched[NoJoin]]:
    """A page of records whose transform needs nothing beside them."""
    return [Fetched(record, NO_JOIN) for record in records]


@dataclass(frozen=True)
class TargetRecord:
    """One record shaped for the target, for one store (``ALL_STORES`` where the target has no stores)."""

    source_id: str
    store: str
    payload: dict[str, Any]
    natural_key: str | None = None  # how the target can find it without the ID map (email, external id, sku)
    label: str = ""  # how a person names the record in the log (order number, sku)
    extra: dict[str, Any] = field(default_factory=dict)  # resolved at push time, never hashed

    def as_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "store": self.store,
            "payload": self.payload,
            "natural_key": self.natural_key,
            "label": self.label,
            "extra": self.extra,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TargetRecord:
        return cls(**data)

    def resolved(self, **extra: Any) -> TargetRecord:
        """The record with what push resolved for it (a contact url, a parent's id) in ``extra``."""
        return replace(self, extra=extra)
