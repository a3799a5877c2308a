"""Magento 2 admin REST API: admin token auth (or an integration access token), /rest[/<store>]/V1 routes,
searchCriteria paging.

Connection: host/schema/port of the store; login/password of an admin user (admin token flow), or extra
``access_token``: an integration's access token, used as the Bearer token with no login call (the way in when
two-factor authentication closes the admin token route)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from profile_sync.connectors.base import ApiHook, Token
from profile_sync.connectors.errors import TerminalError
from profile_sync.connectors.paging import Paging, TotalCountPaging
from profile_sync.connectors.ratebudget import RateLimits

# One searchCriteria filter: (field, value) or (field, value, condition_type); condition "eq" when left out
SearchFilter = tuple[str, Any] | tuple[str, Any, str]
# A filter, or a list of filters that are OR-ed together (one Magento filter group); groups are AND-ed.
FilterGroup = SearchFilter | Sequence[SearchFilter]
DEFAULT_SORT: tuple[tuple[str, str], ...] = (("updated_at", "ASC"),)
ADMIN_TOKEN_PATH = "/rest/V1/integration/admin/token"
ADMIN_TOKEN_SECONDS = 4 * 3600  # Magento's default admin token lifetime; the answer does not say
TWO_FACTOR_HINT = "2fa provider-specific endpoints"  # Magento_TwoFactorAuth's refusal of the admin token route


def _filter_value(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def search_criteria(
    filters: Sequence[FilterGroup] = (),
    sort: Sequence[tuple[str, str]] | None = None,
    tiebreak: str | None = "entity_id",
) -> dict[str, str]:
    """``searchCriteria`` query parameters: each filter its own AND-ed group (a list of filters is one OR group),
    then the sort orders, with ``tiebreak`` ascending appended so that pages never overlap or skip."""
    params: dict[str, str] = {}
    for group_index, spec in enumerate(filters):
        group = [spec] if spec and isinstance(spec[0], str) else list(spec)  # type: ignore[list-item]
        for filter_index, item in enumerate(group):
            field, value, *rest = item  # type: ignore[misc]
            prefix = f"searchCriteria[filter_groups][{group_index}][filters][{filter_index}]"
            params[f"{prefix}[field]"] = str(field)
            params[f"{prefix}[value]"] = _filter_value(value)
            params[f"{prefix}[condition_type]"] = str(rest[0]) if rest else "eq"
    orders = list(DEFAULT_SORT if sort is None else sort)
    if tiebreak and not any(field == tiebreak for field, _ in orders):
        orders.append((tiebreak, "ASC"))
    for index, (field, direction) in enumerate(orders):
        params[f"searchCriteria[sortOrders][{index}][field]"] = field
        params[f"searchCriteria[sortOrders][{index}][direction]"] = direction.upper()
    return params


class MagentoHook(ApiHook):
    """Magento 2 admin REST API. Paths are given as in the contract (``/V1/orders``)."""

    system = "magento"
    default_conn_name = "magento_default"
    conn_name_attr = "magento_conn_id"
    hook_name = "Magento 2"
    conn_type = "magento"  # the connection type registered by profile_sync.provider_info (the form, Test)
    default_limits = RateLimits()  # Magento publishes no limit
    test_path = "/V1/store/storeViews"

    def route(self, path: str, store_code: str | None = None) -> str:
        path = path if path.startswith("/") else "/" + path
        if path.startswith("/rest/"):
            return path
        return f"/rest/{store_code}{path}" if store_code else f"/rest{path}"

    def url(self, path: str, store_code: str | None = None) -> str:
        if store_code is None or path.startswith(("http://", "https://")):
            return super().url(path)
        self._setup()
        return self.base_url + self.route(path, store_code)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        store_code: str | None = None,
    ) -> Any:
        url = self.url(path, store_code)
        return self.call(method, url, params=params, json=json, idempotent=idempotent).data

    def _obtain_token(self, previous: Token | None) -> Token:
        # An integration access token (connection extra "access_token") is used as it is: no login call, no
        # expiry. It is the way in when two-factor authentication (on by default since 2.4.0) closes the admin
        # token route; Magento >= 2.4.4 accepts it as a Bearer token only with "Allow OAuth Access Tokens to be
        # used as standalone Bearer tokens" (oauth/consumer/enable_integration_as_bearer) switched on.
        integration = str(self.extra.get("access_token") or "").strip()
        if integration:
            if previous is not None:  # Magento refused it: logging in again cannot help
                raise self._auth_error(
                    "the integration access token was refused (revoked, or Bearer use of integration tokens is off: "
                    "Stores > Configuration > Services > OAuth > Consumer Settings)"
                )
            return Token(access=integration, expires_at=float("inf"))
        # Magento has no refresh token: an expired or refused admin token means logging in again.
        try:
            reply = self.call(
                "POST",
                self.base_url + ADMIN_TOKEN_PATH,
                json={"username": self.login, "password": self.password},
                idempotent=True,  # a second login is harmless
                authenticated=False,
                sensitive=True,
            )
        except TerminalError as exc:
            if TWO_FACTOR_HINT in str(exc.detail or exc):
                raise self._auth_error(
                    "the admin token route is closed by two-factor authentication; give the connection an "
                    "integration access token (extra access_token) instead of the admin login", exc
                ) from exc
            raise self._auth_error("the admin login was refused", exc) from exc
        if not isinstance(reply.data, str) or not reply.data:
            raise self._auth_error("the admin token endpoint answered without a token")
        lifetime = float(self.extra.get("token_ttl_seconds") or ADMIN_TOKEN_SECONDS)
        return Token(access=reply.data, expires_at=self._expiry(lifetime))

    def paging_for(self, path: str) -> Paging:
        return TotalCountPaging()

    def paginate(  # type: ignore[override]
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        page_size: int = 100,
        filters: Sequence[FilterGroup] = (),
        sort: Sequence[tuple[str, str]] | None = None,
        tiebreak: str | None = "entity_id",
        store_code: str | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Every record of a search route, in pages of ``page_size``, stopping on ``total_count``.

        ``sort`` defaults to ``updated_at`` ascending; ``tiebreak`` (a unique field, ascending) is always
        appended, so that records with equal sort values keep one order across pages (None where the route
        has no such field; give a unique ``sort`` then).
        """
        query = {**(params or {}), **search_criteria(filters, sort, tiebreak)}
        pages = self._pages(self.url(path, store_code), self.paging_for(path), query, page_size)
        yield from skip_repeated_pages(pages, tiebreak)


def skip_repeated_pages(
    pages: Iterator[list[dict[str, Any]]], key: str | None
) -> Iterator[list[dict[str, Any]]]:
    """Drop a page that repeats the one before it: when records vanish during a read, the pages asked for past
    the new end get the last page again (Magento's quirk) and would hand out its records twice."""
    previous: set[Any] = set()
    for page in pages:
        keys = {record.get(key) if key and key in record else record.get("id") for record in page}
        if None not in keys and keys <= previous:
            continue
        previous = keys
        yield page
