"""The hooks a task talks to the vendors with, and the reference data it reads once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from profile_sync.profiles import Profile

if TYPE_CHECKING:  # the hooks are imported when a task opens them, never at DAG parse time
    from profile_sync.connectors.freeagent import FreeAgentHook
    from profile_sync.connectors.magento import MagentoHook
    from profile_sync.connectors.plenty import PlentyHook

ReferenceT = TypeVar("ReferenceT")


class Systems:
    """The hooks a task uses, created on first use with the profile's connections and log switches, and the
    reference data the task reads once (store views, a country list, the contacts by e-mail)."""

    def __init__(self, profile: Profile, rate_ledger: Any = None, hooks: Mapping[str, Any] | None = None) -> None:
        self._profile = profile
        self._rate_ledger = rate_ledger  # where the accounts' rate budgets are kept (the engine's: the state store)
        self._hooks: dict[str, Any] = dict(hooks or {})  # given ones (a mapping test's stand-ins) are used as they are
        self._references: dict[type, Any] = {}

    @property
    def collection_size(self) -> int:
        """The profile's collection size: the page every read of the task asks for."""
        return self._profile.api.collection_size

    def reference(self, kind: type[ReferenceT], build: Callable[[], ReferenceT]) -> ReferenceT:
        """The task's one ``kind`` of reference data, built on first use: the entity, its source and its
        helpers share it, so a list is read once a task however many of them ask for it."""
        if kind not in self._references:
            self._references[kind] = build()
        return cast(ReferenceT, self._references[kind])

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
