"""Profile type -> its EntitySync class. Imported only when a task runs."""

from __future__ import annotations

from importlib import import_module

from profile_sync.entities.base import EntitySync, Systems
from profile_sync.profiles import Profile

# "module:Class" per profile type key, so that a run imports only its own type's code.
IMPLEMENTATIONS: dict[str, str] = {
    "plenty.order.export": "profile_sync.entities.plenty.order_export:OrderExport",
    "plenty.stock.import": "profile_sync.entities.plenty.stock_import:StockImport",
}


class NotImplementedProfileType(NotImplementedError):
    pass


def entity_for(profile: Profile, systems: Systems) -> EntitySync:
    target = IMPLEMENTATIONS.get(profile.type.key)
    if target is None:
        raise NotImplementedProfileType(
            f"profile type {profile.type.label} ({profile.type.key}) has no sync implementation yet"
        )
    module_name, class_name = target.split(":")
    cls = getattr(import_module(module_name), class_name)
    return cls(profile, systems)
