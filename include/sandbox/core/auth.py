"""Bearer tokens as the three vendors issue them: opaque strings with a lifetime, refresh tokens, revocation.

Every system keeps one `TokenAuthority`; `/_sandbox/auth` changes its lifetimes at run time so that tests can
watch a token expire mid-run.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, Field


class AuthConfig(BaseModel):
    """Body of ``PUT /_sandbox/auth``. Unset fields keep their current value.

    `revoke_refresh_tokens` / `revoke_access_tokens` revoke every token issued so far (one-shot actions).
    """

    access_token_ttl_seconds: float | None = Field(default=None, gt=0)
    refresh_token_ttl_seconds: float | None = Field(default=None, gt=0)
    revoke_refresh_tokens: bool = False
    revoke_access_tokens: bool = False


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    refresh_token: str
    expires_in: int
    subject: str


@dataclass
class _Grant:
    subject: str
    expires_at: float


class TokenAuthority:
    """Issues and checks access tokens (and refresh tokens) with configurable lifetimes.

    `clock` is injectable for unit tests; the default is `time.time`.
    """

    def __init__(self, access_ttl: float, refresh_ttl: float = 30 * 86400, *, prefix: str = "",
                 clock: Callable[[], float] = time.time) -> None:
        self.default_access_ttl = access_ttl
        self.default_refresh_ttl = refresh_ttl
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.prefix = prefix
        self.clock = clock
        self._access: dict[str, _Grant] = {}
        self._refresh: dict[str, _Grant] = {}
        # every token handed out, expired or not: tests grep logs and stores for these real values
        self.issued: deque[str] = deque(maxlen=20_000)

    def issue(self, subject: str) -> IssuedToken:
        """A fresh access token (and refresh token) for `subject`."""
        now = self.clock()
        access = self.prefix + secrets.token_hex(16)
        refresh = self.prefix + secrets.token_hex(20)
        self._access[access] = _Grant(subject, now + self.access_ttl)
        self._refresh[refresh] = _Grant(subject, now + self.refresh_ttl)
        self.issued.extend((access, refresh))
        return IssuedToken(access, refresh, int(round(self.access_ttl)), subject)

    def register_refresh_token(self, token: str, subject: str) -> None:
        """Make a well-known refresh token valid (e.g. the one in connections.env); it does not expire."""
        self._refresh[token] = _Grant(subject, float("inf"))

    def validate(self, access_token: str | None) -> str | None:
        """The subject of a live access token, or None (unknown, revoked or expired)."""
        if not access_token:
            return None
        grant = self._access.get(access_token)
        if grant is None:
            return None
        if grant.expires_at <= self.clock():
            del self._access[access_token]
            return None
        return grant.subject

    def refresh(self, refresh_token: str, *, rotate: bool = False) -> IssuedToken | None:
        """A new access token for a live refresh token, or None. With `rotate`, the refresh token is replaced
        by a new one (the old one stops working); otherwise the same refresh token is handed back."""
        grant = self._refresh.get(refresh_token)
        if grant is None or grant.expires_at <= self.clock():
            return None
        now = self.clock()
        access = self.prefix + secrets.token_hex(16)
        self._access[access] = _Grant(grant.subject, now + self.access_ttl)
        new_refresh = refresh_token
        if rotate:
            del self._refresh[refresh_token]
            new_refresh = self.prefix + secrets.token_hex(20)
            self._refresh[new_refresh] = _Grant(grant.subject, now + self.refresh_ttl)
        self.issued.extend((access, new_refresh))
        return IssuedToken(access, new_refresh, int(round(self.access_ttl)), grant.subject)

    def revoke(self, token: str) -> None:
        """Forget one access or refresh token."""
        self._access.pop(token, None)
        self._refresh.pop(token, None)

    def configure(self, config: AuthConfig) -> dict[str, float]:
        """Apply ``PUT /_sandbox/auth``; returns the lifetimes now in force."""
        if config.access_token_ttl_seconds is not None:
            self.access_ttl = config.access_token_ttl_seconds
        if config.refresh_token_ttl_seconds is not None:
            self.refresh_ttl = config.refresh_token_ttl_seconds
        if config.revoke_access_tokens:
            self._access.clear()
        if config.revoke_refresh_tokens:
            self._refresh.clear()
        return self.describe()

    def describe(self) -> dict[str, float]:
        return {"access_token_ttl_seconds": self.access_ttl, "refresh_token_ttl_seconds": self.refresh_ttl,
                "live_access_tokens": len(self._access), "live_refresh_tokens": len(self._refresh)}

    def reset(self) -> None:
        """Back to the default lifetimes, no token valid."""
        self.access_ttl = self.default_access_ttl
        self.refresh_ttl = self.default_refresh_ttl
        self._access.clear()
        self._refresh.clear()


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme case-insensitive), or None."""
    value = headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
