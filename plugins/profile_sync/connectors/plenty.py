"""PlentyONE REST API: /rest/login with refresh, page/itemsPerPage paging, the Basic plan's call limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from profile_sync.connectors.base import ApiHook, Token, limit_from_extra
from profile_sync.connectors.errors import ConnectorError, TerminalError
from profile_sync.connectors.paging import LastPageFlagPaging, Paging
from profile_sync.connectors.ratebudget import RateLimits

LOGIN_PATH = "/rest/login"
REFRESH_PATH = "/rest/login/refresh"


class PlentyHook(ApiHook):
    """PlentyONE REST API. Paths are given in full (``/rest/orders``)."""

    system = "plenty"
    default_conn_name = "plenty_default"
    conn_name_attr = "plenty_conn_id"
    hook_name = "PlentyONE"
    conn_type = "plentyone"  # the connection type registered by profile_sync.provider_info (the form, Test)
    default_limits = RateLimits(read_per_minute=80, write_per_minute=40)  # the Basic plan
    test_path = "/rest/stockmanagement/warehouses"

    def _limits(self, extra: Mapping[str, Any]) -> RateLimits:
        # PlentyONE counts reads and writes apart: rate_limit_per_minute is the read budget.
        reads = limit_from_extra(extra, "rate_limit_per_minute", self.default_limits.read_per_minute)
        default_writes = self.default_limits.write_per_minute
        if reads is not None and default_writes is not None:
            default_writes = min(default_writes, reads)
        return RateLimits(
            read_per_minute=reads,
            write_per_minute=limit_from_extra(extra, "write_rate_limit_per_minute", default_writes),
            per_hour=limit_from_extra(extra, "rate_limit_per_hour", None),
            # the plan's daily cap (the X-Plenty-Global-Long-Period headers correct it when the plan differs)
            per_day=limit_from_extra(extra, "rate_limit_per_day", None),
        )

    def _obtain_token(self, previous: Token | None) -> Token:
        if previous is not None and previous.refresh:
            try:
                return self._token_from(self._auth_call(REFRESH_PATH, {"refresh_token": previous.refresh}))
            except TerminalError:
                pass  # refresh token expired or revoked: log in again below
        try:
            data = self._auth_call(LOGIN_PATH, {"username": self.login, "password": self.password})
        except TerminalError as exc:
            raise self._auth_error("the REST login was refused", exc) from exc
        return self._token_from(data)

    def _auth_call(self, path: str, body: dict[str, Any]) -> Any:
        return self.call(
            "POST", self.base_url + path, json=body, idempotent=True, authenticated=False, sensitive=True
        ).data

    def _token_from(self, data: Any) -> Token:
        if not isinstance(data, dict) or not data.get("access_token"):
            raise self._auth_error(
                "the login answered without an access token",
                ConnectorError("no access_token in the answer", system=self.system),
            )
        return Token(
            access=str(data["access_token"]),
            expires_at=self._expiry(data.get("expires_in")),
            refresh=str(data["refresh_token"]) if data.get("refresh_token") else None,
        )

    def paging_for(self, path: str) -> Paging:
        return LastPageFlagPaging()
