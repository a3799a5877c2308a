"""FreeAgent API v2: OAuth2 refresh-token flow, page/per_page paging with Link headers, 120/min and 3600/h."""

from __future__ import annotations

from typing import Any

from requests.auth import HTTPBasicAuth

from profile_sync.connectors.base import ApiHook, Token
from profile_sync.connectors.errors import AuthenticationError, TerminalError
from profile_sync.connectors.paging import LinkHeaderPaging, Paging
from profile_sync.connectors.ratebudget import RateLimits

TOKEN_PATH = "/v2/token_endpoint"
MAX_PER_PAGE = 100  # FreeAgent fixes the largest page at 100 (its API reference, "Pagination"): a larger per_page is cut


class FreeAgentHook(ApiHook):
    """FreeAgent API v2. Connection: login = OAuth client id, password = client secret,
    extra ``refresh_token`` = the refresh token from authorising the app. Paths are given in full
    (``/v2/contacts``); a record's ``url`` can be passed as the path."""

    system = "freeagent"
    default_conn_name = "freeagent_default"
    conn_name_attr = "freeagent_conn_id"
    hook_name = "FreeAgent"
    conn_type = "freeagent"  # the connection type registered by profile_sync.provider_info (the form, Test)
    default_limits = RateLimits(per_minute=120, per_hour=3600)
    test_path = "/v2/contacts"
    test_params = {"per_page": 1}

    def _obtain_token(self, previous: Token | None) -> Token:
        refresh = (previous.refresh if previous else None) or self.extra.get("refresh_token")
        if not refresh:
            raise self._auth_error("the connection has no extra 'refresh_token'")
        self.scrubber.add(str(refresh))
        try:
            data = self.call(
                "POST",
                self.base_url + TOKEN_PATH,
                data={"grant_type": "refresh_token", "refresh_token": str(refresh)},
                auth=HTTPBasicAuth(self.login, self.password),
                idempotent=True,
                authenticated=False,
                sensitive=True,
            ).data
        except TerminalError as exc:
            raise self._refused(exc) from exc
        if not isinstance(data, dict) or not data.get("access_token"):
            raise self._auth_error("the token endpoint answered without an access token")
        return Token(
            access=str(data["access_token"]),
            expires_at=self._expiry(data.get("expires_in")),
            # FreeAgent may rotate the refresh token; keep using the newest one.
            refresh=str(data.get("refresh_token") or refresh),
        )

    def _refused(self, exc: TerminalError) -> AuthenticationError:
        if "invalid_grant" in f"{exc} {exc.detail}":
            return self._auth_error(
                "the refresh token was refused (invalid_grant: revoked or expired); authorise the app again "
                "and put the new refresh token in the connection's extra 'refresh_token'",
                exc,
            )
        return self._auth_error("the token endpoint refused the client id / secret or refresh token", exc)

    def paging_for(self, path: str) -> Paging:
        collection = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or None
        return LinkHeaderPaging(collection)

    def paginate(self, path: str, *, params: Any = None, page_size: int = 100):  # type: ignore[override]
        return super().paginate(path, params=params, page_size=min(page_size, MAX_PER_PAGE))
