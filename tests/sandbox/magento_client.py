"""A minimal Magento REST client for the sandbox tests (a real connector lives in profile_sync.connectors)."""

from __future__ import annotations

import requests

MAGENTO_USER = ("admin", "sandbox-admin-pass")


class MagentoClient:
    """A minimal Magento REST client for the tests: admin token, Bearer header, searchCriteria helpers."""

    def __init__(self, base_url: str, store: str = "default") -> None:
        self.base = f"{base_url}/rest/{store}"
        self.session = requests.Session()
        self.token: str | None = None

    def login(self, username: str = MAGENTO_USER[0], password: str = MAGENTO_USER[1]) -> str:
        response = self.session.post(f"{self.base}/V1/integration/admin/token",
                                     json={"username": username, "password": password}, timeout=10)
        response.raise_for_status()
        self.token = response.json()
        self.session.headers["Authorization"] = f"Bearer {self.token}"
        return self.token

    def get(self, path: str, params: dict | list | None = None, **kwargs) -> requests.Response:
        return self.session.get(f"{self.base}{path}", params=params, timeout=kwargs.pop("timeout", 10), **kwargs)

    def post(self, path: str, body: object, **kwargs) -> requests.Response:
        return self.session.post(f"{self.base}{path}", json=body, timeout=kwargs.pop("timeout", 10), **kwargs)

    def put(self, path: str, body: object, **kwargs) -> requests.Response:
        return self.session.put(f"{self.base}{path}", json=body, timeout=kwargs.pop("timeout", 10), **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.session.delete(f"{self.base}{path}", timeout=kwargs.pop("timeout", 10), **kwargs)


def criteria(filters: list[list[tuple[str, str, str]]] | None = None, sort: list[tuple[str, str]] | None = None,
             page_size: int | None = None, page: int | None = None) -> dict[str, str]:
    """searchCriteria query parameters from plain lists: filters = groups of (field, value, condition)."""
    params: dict[str, str] = {}
    for g, group in enumerate(filters or []):
        for f, (field, value, condition) in enumerate(group):
            prefix = f"searchCriteria[filter_groups][{g}][filters][{f}]"
            params[f"{prefix}[field]"] = field
            params[f"{prefix}[value]"] = value
            params[f"{prefix}[condition_type]"] = condition
    for s, (field, direction) in enumerate(sort or []):
        params[f"searchCriteria[sortOrders][{s}][field]"] = field
        params[f"searchCriteria[sortOrders][{s}][direction]"] = direction
    if page_size is not None:
        params["searchCriteria[pageSize]"] = str(page_size)
    if page is not None:
        params["searchCriteria[currentPage]"] = str(page)
    return params
