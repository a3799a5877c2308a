"""The shared hook: one pooled session, timeouts, auth tokens, retries, rate budget and masked logging.

Each system's hook (magento, plenty, freeagent) adds its auth flow, its URL layout and its paging strategy.
Connection fields: host, port, schema, login, password; extra (all optional):
``timeout`` (seconds, or [connect, read]), ``max_attempts``, ``max_retry_wait`` (total seconds per call),
``rate_limit_per_minute``, ``write_rate_limit_per_minute``, ``rate_limit_per_hour`` (0 = no client-side limit),
``rate_limit_per_day``, ``max_budget_wait`` (seconds; a longer wait for budget stops the run), ``budget_account`` (the
name of the vendor account whose budget the connection draws from; default: system, host, port and login, so that
two connections with one user share one budget), ``log_body_max_chars``,
``verify``/``verify_ssl``, ``proxies``, ``headers`` (a dict of extra request headers).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import msgspec
import requests
from airflow.providers.http.hooks.http import HttpHook
from requests_toolbelt.adapters.socket_options import TCPKeepAliveAdapter

from profile_sync.connectors.call_stats import CallStats
from profile_sync.connectors.errors import (
    AuthenticationError,
    ConnectorError,
    TerminalError,
    TransientError,
    UncertainWriteError,
)
from profile_sync.connectors.paging import PageReply, Paging, read_pages
from profile_sync.connectors.ratebudget import MemoryLedger, RateBudget, RateLedger, RateLimits
from profile_sync.connectors.request_log import SENSITIVE_KEY, RequestLogger, SecretScrubber
from profile_sync.connectors.retry import RetryPolicy, parse_retry_after
from profile_sync.connectors.vendor_errors import error_for_status, never_sent, vendor_message

DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
MAX_TOKEN_RENEWALS = 3  # in a row within one call
DETAIL_CHARS = 500
MESSAGE_CHARS = 300
UNSAFE_METHODS = frozenset({"POST", "PATCH"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Token:
    """An access token and what is needed to renew it. ``expires_at`` is on the monotonic clock."""

    access: str
    expires_at: float = float("inf")
    refresh: str | None = None


@dataclass(frozen=True)
class Reply:
    """A parsed answer: the body (JSON or None) and the response it came from."""

    data: Any
    status: int
    headers: Mapping[str, str]


def _number(extra: Mapping[str, Any], key: str) -> float | None:
    value = extra.get(key)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"connection extra {key!r} must be a number, got {value!r}") from None


def limit_from_extra(extra: Mapping[str, Any], key: str, default: int | None) -> int | None:
    value = _number(extra, key)
    if value is None:
        return default
    return int(value) if value > 0 else None


def _timeout(extra: Mapping[str, Any]) -> tuple[float, float]:
    value = extra.get("timeout")
    if value is None or value == "":
        return DEFAULT_TIMEOUT
    if isinstance(value, list | tuple) and len(value) == 2:
        return float(value[0]), float(value[1])
    seconds = float(value)
    return min(seconds, DEFAULT_TIMEOUT[0]), seconds


class ApiHook(HttpHook):
    """Base of the three system hooks; subclasses set the class attributes and implement the auth flow."""

    system: ClassVar[str] = "http"
    default_conn_name: ClassVar[str] = "http_default"
    default_limits: ClassVar[RateLimits] = RateLimits()
    test_path: ClassVar[str] = "/"
    test_params: ClassVar[dict[str, Any]] = {}
    token_margin: ClassVar[float] = (
        60.0  # renew a token this long before it expires (at most 10% of its life)
    )

    def __init__(
        self,
        conn_id: str | None = None,
        *,
        log_request_data: bool = False,
        log_response_data: bool = False,
        max_workers: int = 4,
        retry_policy: RetryPolicy | None = None,
        rng: random.Random | None = None,
        rate_ledger: RateLedger | None = None,
        **named_conn_id: str,
    ) -> None:
        # Airflow's connection Test builds the hook as Hook(<conn_name_attr>=conn_id), e.g. magento_conn_id=...
        if unknown := set(named_conn_id) - {self.conn_name_attr}:
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s) {sorted(unknown)}")
        conn_id = conn_id or named_conn_id.get(self.conn_name_attr)
        self.max_workers = max(int(max_workers), 1)
        pool = max(10, self.max_workers * 2)
        super().__init__(
            method="GET",
            http_conn_id=conn_id or self.default_conn_name,
            adapter=TCPKeepAliveAdapter(pool_connections=pool, pool_maxsize=pool),
        )
        self.conn_id = self.http_conn_id
        self.log_request_data = log_request_data
        self.log_response_data = log_response_data
        self.scrubber = SecretScrubber()
        self._retry_override = retry_policy
        # where the account's rate budget is kept: the engine passes the state store's (shared by every worker)
        self._rate_ledger = rate_ledger
        self._rng = rng or random.Random()
        self.call_stats = CallStats()  # read by the engine when the task ends (metrics)
        self._setup_lock = threading.Lock()
        self._token_lock = threading.Lock()
        self._session: requests.Session | None = None
        self._token: Token | None = None
        self._ready = False
        # Set by _setup() from the connection:
        self.retry_policy = retry_policy or RetryPolicy()
        self.timeout: tuple[float, float] = DEFAULT_TIMEOUT
        self.budget: RateBudget
        self.request_log: RequestLogger
        self.login = ""
        self.password = ""
        self.extra: dict[str, Any] = {}

    # --- connection and session ----------------------------------------------------------------------------
    def _setup(self) -> None:
        if self._ready:
            return
        with self._setup_lock:
            if self._ready:
                return
            connection = self.get_connection(self.conn_id)
            self._set_base_url(connection)
            self.base_url = self.base_url.rstrip("/")
            self.login = connection.login or ""
            self.password = connection.password or ""
            self.extra = dict(connection.extra_dejson or {})
            self.scrubber.add(self.password)
            for key, value in self.extra.items():  # refresh_token, api keys... whatever the extra holds
                if isinstance(value, str) and SENSITIVE_KEY.search(key):
                    self.scrubber.add(value)
            self._read_extra(self.extra)
            self.budget.account = str(self.extra.get("budget_account") or self._account_of(connection))
            self._session = self._make_session(self.extra)
            self._ready = True

    def _read_extra(self, extra: Mapping[str, Any]) -> None:
        self.timeout = _timeout(extra)
        if self._retry_override is None:
            overrides: dict[str, Any] = {}
            if (attempts := _number(extra, "max_attempts")) is not None:
                overrides["max_attempts"] = int(attempts)
            if (total := _number(extra, "max_retry_wait")) is not None:
                overrides["max_total_wait"] = total
            self.retry_policy = RetryPolicy(**overrides)
        self.budget = RateBudget(
            self.system,
            self._limits(extra),
            ledger=self._rate_ledger or MemoryLedger.shared(),
            max_wait=_number(extra, "max_budget_wait") or 60.0,
        )
        self.request_log = RequestLogger(
            self.system,
            self.scrubber,
            log_request_data=self.log_request_data,
            log_response_data=self.log_response_data,
            max_body_chars=int(_number(extra, "log_body_max_chars") or 2000),
        )

    def _limits(self, extra: Mapping[str, Any]) -> RateLimits:
        """The connection's limits over the system's published defaults (0 switches one off)."""
        defaults = self.default_limits
        return RateLimits(
            per_minute=limit_from_extra(extra, "rate_limit_per_minute", defaults.per_minute),
            read_per_minute=defaults.read_per_minute,
            write_per_minute=limit_from_extra(
                extra, "write_rate_limit_per_minute", defaults.write_per_minute
            ),
            per_hour=limit_from_extra(extra, "rate_limit_per_hour", defaults.per_hour),
            per_day=limit_from_extra(extra, "rate_limit_per_day", defaults.per_day),
        )

    def limits_of(self, extra: Mapping[str, Any]) -> RateLimits:
        """The limits a connection with ``extra`` runs under (for sizing its Airflow pool)."""
        return self._limits(extra)

    def _account_of(self, connection: Any) -> str:
        """The vendor account a connection uses: limits are per user of a system."""
        return f"{self.system}:{connection.login or ''}@{connection.host or ''}:{connection.port or ''}"

    def _make_session(self, extra: Mapping[str, Any]) -> requests.Session:
        session = requests.Session()
        # Only what the connection names as HTTP options: credentials and our own settings never become headers.
        session.verify = extra.get("verify", extra.get("verify_ssl", True))
        proxies = extra.get("proxies", extra.get("proxy"))
        if isinstance(proxies, dict):
            session.proxies.update(proxies)
        session.headers["Accept"] = "application/json"
        headers = extra.get("headers")
        if isinstance(headers, dict):
            session.headers.update({str(k): str(v) for k, v in headers.items()})
        return self._configure_session_from_mount_adapters(session)

    def get_conn(self, headers: dict[Any, Any] | None = None, extra_options: dict[str, Any] | None = None):
        """The hook's one pooled session (HttpHook builds a new one per call; we keep ours for the task)."""
        self._setup()
        assert self._session is not None
        if headers:
            self._session.headers.update(headers)
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None
            self._ready = False

    # --- auth (subclasses) -----------------------------------------------------------------------------------
    def _obtain_token(self, previous: Token | None) -> Token:
        """A fresh token: refresh ``previous`` where the system allows it, log in otherwise."""
        raise NotImplementedError

    def _auth_headers(self, token: Token) -> dict[str, str]:
        return {"Authorization": f"Bearer {token.access}"}

    def _expiry(self, expires_in: Any) -> float:
        """Monotonic time at which a token that lives ``expires_in`` seconds should be renewed."""
        try:
            seconds = float(expires_in)
        except (TypeError, ValueError):
            return float("inf")
        return time.monotonic() + seconds - min(self.token_margin, seconds * 0.1)

    def _remember(self, token: Token) -> Token:
        self.scrubber.add(token.access)
        self.scrubber.add(token.refresh)
        return token

    def current_token(self) -> Token:
        """The cached token, renewed when it is about to expire (once, whatever the number of threads)."""
        self._setup()
        token = self._token
        if token is not None and token.expires_at > time.monotonic():
            return token
        with self._token_lock:
            token = self._token
            if token is None or token.expires_at <= time.monotonic():
                self._token = self._remember(self._obtain_token(token))
            return self._token

    def _invalidate(self, token: Token) -> None:
        """The server refused ``token`` (401): make the next call renew it, unless another thread already did."""
        with self._token_lock:
            if self._token is token:
                self._token = replace(token, expires_at=0.0)

    def _auth_error(self, what: str, cause: ConnectorError | None = None) -> AuthenticationError:
        # the cause's reason, not its message: that one has the system's name and, for a 401, the advice already
        because = f" ({cause.reason.rstrip('. ')})" if cause else ""
        return AuthenticationError(
            f"{what}{because}",
            system=self.system,
            conn_id=self.conn_id,
            status=cause.status if cause else 401,
            detail=cause.detail if cause else "",
        )

    # --- requests ------------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """The absolute URL of ``path``; absolute URLs (FreeAgent record urls) must point at this connection."""
        self._setup()
        if path.startswith(("http://", "https://")):
            if not (path == self.base_url or path.startswith(self.base_url + "/")):
                raise ValueError(
                    f"{self.system}: refusing to send credentials to {path!r} (not {self.base_url})"
                )
            return path
        return self.base_url + self.route(path)

    def route(self, path: str) -> str:
        """The path on the server for an API path (Magento adds its /rest prefix)."""
        return path if path.startswith("/") else "/" + path

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Call the API; return the parsed JSON body (None when empty). Raises the errors in ``errors``.

        ``idempotent`` says whether a failed call may be sent again; by default every method but POST/PATCH is.
        """
        return self.call(method, self.url(path), params=params, json=json, idempotent=idempotent).data

    def get(self, path: str, *, params: Mapping[str, Any] | None = None, **options: Any) -> Any:
        return self.request("GET", path, params=params, **options)

    def post(
        self, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None, **options: Any
    ) -> Any:
        return self.request("POST", path, params=params, json=json, **options)

    def put(
        self, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None, **options: Any
    ) -> Any:
        return self.request("PUT", path, params=params, json=json, **options)

    def delete(self, path: str, *, params: Mapping[str, Any] | None = None, **options: Any) -> Any:
        return self.request("DELETE", path, params=params, **options)

    def call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        auth: Any = None,
        idempotent: bool | None = None,
        authenticated: bool = True,
        sensitive: bool = False,
    ) -> Reply:
        """One call with retries. ``authenticated=False`` for the token endpoints (``sensitive`` bodies)."""
        session = self.get_conn()
        method = method.upper()
        safe = idempotent if idempotent is not None else method not in UNSAFE_METHODS
        what = f"{method} {url}"  # scrubbed where it goes into an error message
        attempt, waited, renewals = 0, 0.0, 0
        while True:
            attempt += 1
            self.call_stats.waited(self.budget.acquire(method))
            token = self.current_token() if authenticated else None
            headers = self._auth_headers(token) if token else None
            self.request_log.request(method, url, json if json is not None else data, sensitive=sensitive)
            started = time.monotonic()
            retry_after: float | None = None
            settle = 0.0
            try:
                response = session.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    headers=headers,
                    auth=auth,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                reason = self.scrubber.text(f"{type(exc).__name__}: {exc}")
                self.request_log.failure(method, url, reason)
                self.call_stats.answered(None)
                # a write that timed out may still be in the server's hands: give it a read timeout to land
                # before looking it up (POST) or sending it again (PUT), so that a late write never overtakes
                settle = self.timeout[1] if method in WRITE_METHODS and isinstance(exc, requests.Timeout) else 0.0
                if not safe and not never_sent(exc):
                    raise UncertainWriteError(
                        self.scrubber.text(f"{self.system}: {what} may have been applied ({reason})"),
                        system=self.system,
                        settle_seconds=settle,
                    ) from exc
                failure: ConnectorError = TransientError(
                    self.scrubber.text(f"{self.system}: {what} failed: {reason}"), system=self.system
                )
            else:
                status = response.status_code
                if status != 401:
                    renewals = 0  # the server got past the token: only 401s in a row mean refused credentials
                text = response.text if self.request_log.log_response_data else None
                self.request_log.response(
                    method, response.url, status, time.monotonic() - started, text, sensitive=sensitive
                )
                self.budget.observe(response.headers, method)
                self.call_stats.answered(status)
                if 200 <= status < 300:
                    try:
                        return Reply(self._parse(response), status, response.headers)
                    except ValueError as exc:
                        message = self.scrubber.text(
                            f"{self.system}: {what} -> {status}, unreadable body ({exc})"
                        )
                        if not safe:
                            raise UncertainWriteError(message, system=self.system, status=status) from exc
                        failure = TransientError(message, system=self.system, status=status)
                elif status == 404 and method == "DELETE" and attempt > 1:
                    return Reply(None, status, response.headers)  # an earlier try deleted it already
                elif status == 401 and authenticated and token is not None and renewals < MAX_TOKEN_RENEWALS:
                    # the token expired or was revoked early: renew it and try again. More than once: a call
                    # slowed by retries can outlive a short-lived renewed token too; a server that refuses every
                    # fresh token means wrong credentials or rights (AuthenticationError below)
                    renewals += 1
                    self._invalidate(token)
                    attempt -= 1
                    continue
                else:
                    failure = self._status_error(what, response, safe)
                    if isinstance(failure, TerminalError | UncertainWriteError):
                        raise failure
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    if status == 429 and retry_after:  # the vendor's window is full for every caller of the account
                        self.budget.pause(retry_after, f"429 Too Many Requests (Retry-After {retry_after:g} s)")
            wait = self.retry_policy.next_wait(attempt, waited, retry_after, self._rng)
            if wait is None:
                raise failure
            wait = max(wait, settle)
            self.request_log.logger.warning(
                "%s; try %d of %d in %.1f s", failure, attempt + 1, self.retry_policy.max_attempts, wait
            )
            time.sleep(wait)
            waited += wait

    def _status_error(self, what: str, response: requests.Response, safe: bool) -> ConnectorError:
        try:
            body: Any = self._parse(response)
        except ValueError:
            body = response.text
        message = (vendor_message(body) or response.reason or "")[:MESSAGE_CHARS]
        detail = self.scrubber.text(response.text[:DETAIL_CHARS])
        text = self.scrubber.text(f"{self.system}: {what} -> {response.status_code}: {message}")
        return error_for_status(response.status_code, text, self.system, self.conn_id, detail, safe)

    @staticmethod
    def _parse(response: requests.Response) -> Any:
        content = response.content
        if not content or not content.strip():
            return None
        try:
            return msgspec.json.decode(content)
        except msgspec.DecodeError as exc:
            raise ValueError(f"invalid JSON: {exc}") from None

    # --- pages ---------------------------------------------------------------------------------------------
    def paging_for(self, path: str) -> Paging:
        raise NotImplementedError

    def paginate(
        self, path: str, *, params: Mapping[str, Any] | None = None, page_size: int = 100
    ) -> Iterator[list[dict[str, Any]]]:
        """Every record of a list route, page by page in order (later pages read concurrently)."""
        yield from self._pages(self.url(path), self.paging_for(path), params or {}, page_size)

    def _pages(
        self, url: str, paging: Paging, params: Mapping[str, Any], page_size: int
    ) -> Iterator[list[dict[str, Any]]]:
        def fetch(page_params: dict[str, Any]) -> PageReply:
            reply = self.call("GET", url, params={**params, **page_params})
            return PageReply(reply.data, reply.headers)

        yield from read_pages(paging, fetch, page_size=page_size, max_workers=self.max_workers)

    # --- Airflow UI ----------------------------------------------------------------------------------------
    def test_connection(self) -> tuple[bool, str]:
        """Log in and read one small resource; one sentence back, never a secret.

        The sentence names neither the connection nor what to fix in Airflow: the form's Test button runs this on
        a temporary copy of the form under a random connection id, and the user is looking at the fields."""
        try:
            self.current_token()
            self.request("GET", self.test_path, params=self.test_params or None)
        except ConnectorError as exc:
            return False, self.scrubber.text(f"{self.hook_name}: {exc.reason.rstrip('. ')}.")
        except Exception as exc:  # noqa: BLE001 - the UI wants a message, not a traceback
            return False, self.scrubber.text(f"{self.hook_name}: {type(exc).__name__}: {exc}")
        return True, f"Connected to {self.hook_name} at {self.base_url}."
