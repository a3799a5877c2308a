"""The contract between the engine and a profile type: how to fetch, transform and push its records.

Entity modules keep the mapping (``transform``) a pure function of the fetched record and the profile, and put
every call to a system behind the hooks of ``Systems`` (``entities.systems``); the engine owns batching, state,
retries and idempotence. What flows between the stages is in ``entities.records``.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

import msgspec

from profile_sync.entities.records import Fetched, NoJoin, Record, TargetRecord
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import EntityConfig

log = logging.getLogger(__name__)

CREATE_ATTEMPTS = 5  # a create is re-sent only after a lookup proved the first did not go through


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


def live_target(entry: Any) -> bool:
    """Whether the ID-map entry ``prefetch`` is handed with a record names its target record: mapped, and neither
    a create left pending (it may not have happened) nor a deleted one."""
    return bool(getattr(entry, "target_id", None)) and getattr(entry, "status", None) not in ("pending", "deleted")


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
