"""One Airflow hook per external system; connectors know nothing of profiles.

The engine uses ``hook_class(system)(conn_id, log_request_data=..., log_response_data=...)`` and the errors in
`profile_sync.connectors.errors`.
"""

from __future__ import annotations

from profile_sync.connectors.base import ApiHook
from profile_sync.connectors.freeagent import FreeAgentHook
from profile_sync.connectors.magento import MagentoHook
from profile_sync.connectors.plenty import PlentyHook

HOOKS: dict[str, type[ApiHook]] = {"magento": MagentoHook, "plenty": PlentyHook, "freeagent": FreeAgentHook}


def hook_class(system: str) -> type[ApiHook]:
    """The hook class of ``system`` (magento, plenty, freeagent)."""
    try:
        return HOOKS[system]
    except KeyError:
        raise ValueError(f"no connector for system {system!r}; known: {', '.join(sorted(HOOKS))}") from None


__all__ = ["HOOKS", "ApiHook", "FreeAgentHook", "MagentoHook", "PlentyHook", "hook_class"]
