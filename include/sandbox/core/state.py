"""`SystemState`: everything one emulated system keeps in memory, and the hooks each system fills in.

A system subclasses `SystemState`, sets `system` and `limits_model`, and implements `populate(world)` (fill
`self.tables` from the shared world in the system's wire shape). It may override `touch_record`,
`create_record`, `delete_record` and `error_body`. Handlers must be ``async def`` so that state is only ever
touched from the event loop's thread (no locks needed).
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from sandbox.core.auth import TokenAuthority
from sandbox.core.faults import FaultInjector
from sandbox.core.ratelimit import LimitsConfig, RateLimiter
from sandbox.core.requestlog import RequestLog
from sandbox.core.settings import SandboxSettings
from sandbox.core.store import Key, Record, Table
from sandbox.domain import World
from sandbox.world import build_world


class UnknownEntity(KeyError):
    """The admin surface was asked about an entity this system does not have."""


class SystemState:
    """Base class of a system's in-memory state; see the module docstring for what to override."""

    system: ClassVar[str] = "system"
    limits_model: ClassVar[type[LimitsConfig]] = LimitsConfig

    def __init__(self, settings: SandboxSettings, auth: TokenAuthority) -> None:
        self.settings = settings
        self.auth = auth
        self.faults = FaultInjector()
        self.limiter: RateLimiter | None = None
        self.limits: LimitsConfig | None = None
        self.log = RequestLog(settings.request_log_size)
        self.tables: dict[str, Table] = {}
        self.seed = settings.seed
        self.scale = settings.scale
        self.counts_override = settings.counts
        self.world: World | None = None

    # --- to implement per system -------------------------------------------------------------------------
    def populate(self, world: World) -> None:
        """Fill `self.tables` from `world` (called by `reset`, tables already emptied)."""
        raise NotImplementedError

    def error_body(self, status: int, message: str) -> Any:
        """The system's JSON error body for `status` (used for faults, 404s, 429s...)."""
        return {"message": message}

    def touch_record(self, entity: str, record: Record, now: float) -> Record:
        """Return the record as it looks after an outside change at `now` (bump its updated_at field and change
        something visible). The default returns it unchanged; systems override."""
        return record

    def create_record(self, entity: str, body: dict[str, Any]) -> Record:
        """Admin create: store `body` under the next free key (or body["id"]) and return it."""
        table = self.table(entity)
        key = body.get("id", table.next_key())
        record = dict(body, id=key)
        table.put(key, record, time.time())
        return record

    def delete_record(self, entity: str, key: Key) -> bool:
        """Admin delete; True when something was removed."""
        return self.table(entity).delete(key) is not None

    # --- shared behaviour --------------------------------------------------------------------------------
    def table(self, entity: str) -> Table:
        try:
            return self.tables[entity]
        except KeyError:
            raise UnknownEntity(entity) from None

    def ensure_table(self, entity: str) -> Table:
        """The table `entity`, created empty if missing (for records clients write)."""
        if entity not in self.tables:
            self.tables[entity] = Table(entity)
        return self.tables[entity]

    def parse_key(self, entity: str, raw: str) -> Key:
        """A key from a URL segment: an int when the table's keys are ints."""
        keys = self.table(entity).keys()
        if (not keys or isinstance(keys[0], int)) and raw.lstrip("-").isdigit():
            return int(raw)
        return raw

    def reset(self, seed: int | None = None, scale: str | None = None,
              counts: dict[str, int] | None = None) -> dict[str, int]:
        """Regenerate this system's data from the shared world; clears faults, limits, tokens and the log."""
        if seed is not None:
            self.seed = seed
        if scale is not None:
            self.scale = scale
        if counts is not None or scale is not None:
            self.counts_override = counts
        self.world = build_world(self.seed, self.scale, self.counts_override)
        self.tables.clear()  # in place: routes may hold a reference to the dict
        self.populate(self.world)
        self.faults.clear()
        self.limiter = None
        self.limits = None
        self.auth.reset()
        self.log.clear()
        return self.counts()

    def counts(self) -> dict[str, int]:
        return {name: len(table) for name, table in sorted(self.tables.items())}

    def set_limits(self, config: LimitsConfig | None) -> None:
        self.limits = config
        self.limiter = config.build() if config is not None else None

    def touch(self, entity: str, ids: list[Key] | None = None, count: int | None = None) -> list[Key]:
        """Simulate outside activity: bump updated_at to now for `ids`, or for the `count` least recently
        updated records; returns the keys touched."""
        table = self.table(entity)
        keys = table.keys_by_updated()[: count or 0] if ids is None else [k for k in ids if k in table]
        now = time.time()
        for i, key in enumerate(keys):
            record = table.get(key)
            if record is None:
                continue
            # strictly increasing stamps keep the touched records in a stable order
            stamp = now + i * 1e-6
            table.put(key, self.touch_record(entity, record, stamp), stamp)
        return keys
