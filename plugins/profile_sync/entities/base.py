"""The contract between the engine and a profile type: how to fetch, transform and push its records.

Entity modules keep the mapping (``transform``) a pure function of the fetched record and the profile, and put
every call to a system behind the hooks of ``Systems``; the engine owns batching, state, retries and idempotence.

Fetch hands each record to transform in a ``Fetched`` envelope: ``record``, the vendor's record as read (never
written to), and ``joined``, what fetch read beside it for transform (the record's store view, a parent's SKU,
texts, an order, an address's resolved country and region), typed by the type's own Struct (``join_type``). The
engine stages the envelopes between the tasks and decodes them with that type.
"""

from __future__ import annotations

import logging
import math
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, cast

import msgspec

from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import EntityConfig

if TYPE_CHECKING:  # the hooks are imported when a task opens them, never at DAG parse time
    from profile_sync.connectors.freeagent import FreeAgentHook
    from profile_sync.connectors.magento import MagentoHook
    from profile_sync.connectors.plenty import PlentyHook

log = logging.getLogger(__name__)

Record = dict[str, Any]
ALL_STORES = "*"
CREATE_ATTEMPTS = 5  # a create is re-sent only after a lookup proved the first did not go through


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


class Systems:
    """The hooks a run uses, created on first use with the profile's connections and log switches."""

    def __init__(self, profile: Profile, rate_ledger: Any = None) -> None:
        self._profile = profile
        self._rate_ledger = rate_ledger  # where the accounts' rate budgets are kept (the engine's: the state store)
        self._hooks: dict[str, Any] = {}

    def _hook(self, system: str) -> Any:
        if system not in self._hooks:
            from profile_sync.connectors import hook_class

            self._hooks[system] = hook_class(system)(
                getattr(self._profile.connections, system),
                log_request_data=self._profile.log.request_data,
                log_response_data=self._profile.log.response_data,
                rate_ledger=self._rate_ledger,
            )
        return self._hooks[system]

    @property
    def magento(self) -> MagentoHook:
        return cast("MagentoHook", self._hook("magento"))

    @property
    def plenty(self) -> PlentyHook:
        return cast("PlentyHook", self._hook("plenty"))

    @property
    def freeagent(self) -> FreeAgentHook:
        return cast("FreeAgentHook", self._hook("freeagent"))

    def opened(self) -> dict[str, Any]:
        """The hooks this task has used so far, by system (their call counts become metrics)."""
        return dict(self._hooks)

    def close(self) -> None:
        for hook in self._hooks.values():
            closer = getattr(hook, "close", None)
            if closer:
                closer()
        self._hooks.clear()


def create_or_find(create: Callable[[], str], find: Callable[[], str | None]) -> tuple[str, bool]:
    """Create a record whose write may be applied even when its answer is lost, never twice.

    After an uncertain answer (timeout, 5xx on a POST) the record is looked up by its natural key (after the
    server had time to finish a write that timed out); only when it is not there is the create sent again.
    Returns (target id, whether the create's own answer arrived): when it did not, whatever ``create`` does after
    its POST did not happen either.
    """
    from profile_sync.connectors.errors import UncertainWriteError

    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return create(), True
        except UncertainWriteError as exc:
            if exc.settle_seconds:
                time.sleep(exc.settle_seconds)
            found = find()
            log.info(
                "create answer lost (attempt %d: %s): %s", attempt, exc, f"found {found}" if found else "not there"
            )
            if found:
                return found, False  # the write went through; only its answer was lost
            if attempt == CREATE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


class IdMap(Protocol):
    """What an entity may ask of the sync state: where a source record of this profile went in the target.

    The engine owns the state store and hands this in; an entity never opens the store itself."""

    def target_of(self, source_id: str, store: str) -> str | None: ...

    def of_profile(self, profile_id: str) -> IdMap:
        """The same question about another profile (Product Export asks where Category Export put a category)."""
        ...


class NoIdMap:
    """Nothing synced yet (an entity built outside a run, such as in a mapping test)."""

    def target_of(self, source_id: str, store: str) -> str | None:
        return None

    def of_profile(self, profile_id: str) -> IdMap:
        return self


class Source(Protocol):
    """A type's declared source (``shop.source.MagentoSource``, ``sources.ListSource``): what reads the vendor's
    record alone, its id and its change time."""

    def record_id(self, record: Record) -> str: ...

    def updated_at(self, record: Record) -> datetime | None: ...


ConfigT = TypeVar("ConfigT", bound=EntityConfig)


class EntitySync(ABC, Generic[ConfigT]):
    """One profile type. Subclasses set ``noun`` and implement fetch, transform, create and update; the type
    parameter is the type's own options model, what ``config`` gives.

    ``record_id`` and ``updated_at`` read the vendor's record alone (failed entries and the watermark are the
    vendor's ids and times); ``partition_key`` and ``transform`` take the whole ``Fetched`` envelope, since a
    join may decide them (a child product goes with its parent's SKU)."""

    noun = "record"
    # what fetch joins to each record (a msgspec Struct): the transform stage decodes the staged envelopes as
    # Fetched[join_type]; transform's annotation names the same type
    join_type: ClassVar[type[msgspec.Struct]] = NoJoin
    # False: a target record found by natural key that another source record of the profile holds already is a
    # duplicate (two variations with one number, two customers with one e-mail), a failed entry, never merged.
    # True where several source records rightly report on one target record.
    shared_targets = False
    # set by the engine for a run (profile_sync.entities.registry.entity_for)
    id_map: IdMap = NoIdMap()
    # > 0 where the target takes a list (PlentyONE's stock correction): the engine hands the records it would
    # create or update to ``write_many``, up to this many per call and one ``bulk_group`` per call. Only for writes
    # that set a state (sent twice, they set the same), since a list whose answer was lost is sent again.
    bulk_size = 0
    # > 0 where the target creates and updates in lists whose answer gives each record its id (PlentyONE's
    # categories): records are looked up by natural key as for any type, then go out through ``create_many`` and
    # ``update_many``, up to this many a call. Creates are not repeatable, so a list whose answer was lost is
    # looked up record by record before any of it is sent again.
    list_size = 0
    # False where the target creates one record a request (PlentyONE items): new records take the single path
    # (``create``), only updates wait for their list
    list_creates = True
    # the declared source the type reads, given as the class keyword ``source`` (None: the type reads its own
    # way and says its record's id itself): its record_id and updated_at are the type's
    source: ClassVar[Source | None] = None

    def __init_subclass__(cls, source: Source | None = None, **kwargs: Any) -> None:
        """``class X(EntitySync[Config], source=CUSTOMERS)``: the type reads that declared source."""
        super().__init_subclass__(**kwargs)
        if source is not None:
            cls.source = source

    def __init__(self, profile: Profile, systems: Systems) -> None:
        self.profile = profile
        self.systems = systems

    @property
    def config(self) -> ConfigT:
        """The profile's ``entity_config``: the loader validated it with this type's own model."""
        return cast(ConfigT, self.profile.entity_config)

    # --- fetch ---------------------------------------------------------------------------------------------
    @abstractmethod
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[Any]]]:
        """Pages of source records, each with its join: changed since ``since`` (None: all), or just ``ids``."""

    def record_id(self, record: Record) -> str:
        """The record's stable source id (the declared source's, where the type declares one)."""
        if self.source is None:
            raise NotImplementedError(f"{type(self).__name__} declares no source: it says its record's id itself")
        return self.source.record_id(record)

    def updated_at(self, record: Record) -> datetime | None:
        """When the source last changed the record (drives the watermark); None where the API has no such field."""
        return self.source.updated_at(record) if self.source is not None else None

    def partition_key(self, fetched: Fetched[Any]) -> str:
        """Records with the same key are pushed by the same task, in order (e.g. orders of one customer)."""
        return self.record_id(fetched.record)

    # --- transform (pure) -----------------------------------------------------------------------------------
    @abstractmethod
    def transform(self, fetched: Fetched[Any]) -> list[TargetRecord]:
        """The record shaped for the target, one per store in scope; raise RecordError when it cannot be."""

    # --- push ---------------------------------------------------------------------------------------------
    def find_existing(self, target: TargetRecord) -> str | None:
        """The target id of a record that exists in the target already (by natural key), or None."""
        return None

    @abstractmethod
    def create(self, target: TargetRecord) -> str:
        """Create the record in the target; return its target id."""

    @abstractmethod
    def update(self, target_id: str, target: TargetRecord) -> None:
        """Update the target record ``target_id``."""

    # --- delete externally -----------------------------------------------------------------------------------
    def source_ids(self) -> Iterator[str] | None:
        """Every source id in scope now (ids only), for delete reconciliation; None where the type cannot tell."""
        return None

    def delete(self, target_id: str, store: str) -> None:
        """Delete (or deactivate, where the API has no delete) the target record of a record gone from the source."""
        raise NotImplementedError(f"{self.noun}s cannot be deleted in the target")

    def prepare(self, target: TargetRecord) -> TargetRecord:
        """Resolve references the payload needs at push time (contact, variation ids); may raise RecordError."""
        return target

    def prefetch(self, writes: list[tuple[TargetRecord, Any]]) -> None:
        """The records of a batch that may be written (each with its ID-map entry, or None), before the first:
        a type whose target searches for many keys at once looks them all up here, in one request a page, and
        answers ``find_existing`` and ``update`` from it once per record (a second lookup, as after a lost
        answer, asks the target again). Nothing by default."""

    # --- bulk writes (bulk_size > 0) ---------------------------------------------------------------------------
    def bulk_group(self, target: TargetRecord) -> str:
        """Records of one group go in one list (one PlentyONE warehouse per stock correction)."""
        return ""

    def write_many(self, targets: list[TargetRecord]) -> list[str]:
        """Create or update ``targets`` (prepared, one bulk group) in one call; their target ids, in order."""
        raise NotImplementedError(f"{self.noun}s are not written in lists")

    # --- list writes (list_size > 0) ---------------------------------------------------------------------------
    def waits_for(self, target: TargetRecord) -> str | None:
        """The source id of a record this one needs written first (a new category's parent), while its target id
        is unknown: the records waiting for their list go out before this one joins the next."""
        return None

    def create_many(self, targets: list[TargetRecord]) -> list[str]:
        """Create ``targets`` (prepared) in one call; their target ids, in order."""
        raise NotImplementedError(f"{self.noun}s are not created in lists")

    def update_many(self, writes: list[tuple[str, TargetRecord]]) -> None:
        """Update each (target id, prepared record) in one call."""
        raise NotImplementedError(f"{self.noun}s are not updated in lists")
