"""FreeAgent's in-memory state: contacts, invoices, credit notes and price list items in FreeAgent's wire shape,
OAuth client."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from sandbox.core.auth import TokenAuthority
from sandbox.core.ratelimit import FreeAgentLimits
from sandbox.core.settings import SandboxSettings
from sandbox.core.state import SystemState
from sandbox.core.store import Record
from sandbox.domain import World
from sandbox.freeagent.seed import bank_accounts, contact_record, populate, price_list_item_record
from sandbox.freeagent.stamps import stamp

CLIENT_ID = "sandbox-client-id"
CLIENT_SECRET = "sandbox-client-secret"
REFRESH_TOKEN = "sandbox-refresh-token"  # the long-lived refresh token of connections.env
ACCESS_TTL_SECONDS = 3600
TABLES = (
    "contacts", "invoices", "credit_notes", "bank_accounts", "bank_transaction_explanations", "price_list_items"
)


class FreeAgentState(SystemState):
    system: ClassVar[str] = "freeagent"
    limits_model: ClassVar[type[FreeAgentLimits]] = FreeAgentLimits

    def __init__(self, settings: SandboxSettings, auth: TokenAuthority | None = None) -> None:
        super().__init__(settings, auth or TokenAuthority(ACCESS_TTL_SECONDS, prefix="fa-"))

    @property
    def base_url(self) -> str:
        return self.settings.base_url

    def url(self, collection: str, key: int) -> str:
        return f"{self.base_url}/v2/{collection}/{key}"

    def key_of(self, url: Any, collection: str) -> int | None:
        """The id in a record URL of `collection` (``…/v2/contacts/12`` -> 12), or None."""
        if not isinstance(url, str):
            return None
        head, _, tail = url.rstrip("/").rpartition("/")
        if not head.endswith(f"/v2/{collection}") or not tail.isdigit():
            return None
        return int(tail)

    def reset(
        self, seed: int | None = None, scale: str | None = None, counts: dict[str, int] | None = None
    ) -> dict[str, int]:
        result = super().reset(seed, scale, counts)
        self.auth.register_refresh_token(REFRESH_TOKEN, CLIENT_ID)
        return result

    def populate(self, world: World) -> None:
        for name in TABLES:
            self.ensure_table(name)
        populate(self, world)
        self.tables["bank_accounts"].load((self.key_of(a["url"], "bank_accounts"), a, 0.0) for a in bank_accounts(self))

    def error_body(self, status: int, message: str) -> Any:
        return {"errors": {"error": {"message": message}}}

    def create_record(self, entity: str, body: dict[str, Any]) -> Record:
        """Admin create: the record gets its id, url, timestamps and defaults like one created through the API."""
        table = self.table(entity)
        now = time.time()
        key = int(body.get("id", table.next_key()))
        fields = {k: v for k, v in body.items() if k not in ("id", "url")}
        if entity == "contacts":
            record = contact_record(self, key, fields, now, now)
        elif entity == "price_list_items":
            record = price_list_item_record(self, key, fields, now)
        else:
            record = {
                "status": "Draft",
                "long_status": "Draft",
                "currency": "GBP",
                "comments": "",
                "created_at": stamp(now),
                "updated_at": stamp(now),
                **fields,
                "url": self.url(entity, key),
            }
        table.put(key, record, now)
        return record

    def touch_record(self, entity: str, record: Record, now: float) -> Record:
        changed = dict(record, updated_at=stamp(now))
        if entity == "contacts":
            changed["phone_number"] = f"+44 20 {int(now) % 10_000_000:07d}"
        elif entity == "price_list_items":
            changed["description"] = f"{record.get('description', '')} (updated {stamp(now)})"
        else:
            changed["comments"] = f"Updated {stamp(now)}"
        return changed
