"""Paging to the end against the sandbox: every record exactly once, in order, with concurrent page reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from profile_sync.connectors import FreeAgentHook, MagentoHook, PlentyHook

from .conftest import FAST_RETRIES


def _all_keys(admin_client, entity: str, key: str) -> list:
    records = admin_client.records(entity, limit=1000)
    assert records["total"] == len(records["items"])
    return sorted(r[key] for r in records["items"])


def _read(pages, key: str) -> list:
    return [record[key] for page in pages for record in page]


@pytest.mark.parametrize("workers", [1, 4])
def test_magento_search_reads_every_customer_once_with_the_stable_sort(admin, connect, workers) -> None:
    magento = admin("magento")
    # Jittered latency makes later pages answer before earlier ones.
    magento.set_faults(latency_ms=1, latency_jitter_ms=15, seed=3)
    hook = MagentoHook(connect("magento"), max_workers=workers, retry_policy=FAST_RETRIES)
    pages = list(hook.paginate("/V1/customers/search", page_size=3))
    ids = _read(pages, "id")
    assert sorted(ids) == _all_keys(magento, "customers", "id") and len(ids) == len(set(ids))
    order = [(c["updated_at"], c["id"]) for page in pages for c in page]
    assert order == sorted(order)  # updated_at, then entity_id: one order across all pages
    assert all(len(page) == 3 for page in pages[:-1])


def test_magento_products_with_a_filter_and_a_store_code(admin, connect) -> None:
    magento = admin("magento")
    hook = MagentoHook(connect("magento"), max_workers=4, retry_policy=FAST_RETRIES)
    every = _read(hook.paginate("/V1/products", page_size=4, store_code="default"), "sku")
    assert sorted(every) == _all_keys(magento, "products", "sku") and len(every) == len(set(every))
    simple = _read(
        hook.paginate("/V1/products", page_size=4, filters=[("type_id", "simple", "eq")]), "type_id"
    )
    assert simple and set(simple) == {"simple"} and len(simple) < len(every)


def test_magento_change_filter_returns_exactly_the_touched_records(admin, connect) -> None:
    magento = admin("magento")
    since = (datetime.now(UTC) - timedelta(seconds=60)).strftime("%Y-%m-%d %H:%M:%S")
    touched = magento.touch("customers", count=4)
    hook = MagentoHook(connect("magento"), max_workers=4, retry_policy=FAST_RETRIES)
    changed = _read(
        hook.paginate("/V1/customers/search", page_size=2, filters=[("updated_at", since, "gteq")]), "id"
    )
    assert sorted(changed) == sorted(touched)


@pytest.mark.parametrize(
    "path,entity,key",
    [
        ("/rest/stockmanagement/stock", "stock", None),
        ("/rest/items/variations", "variations", "id"),
        ("/rest/accounts/contacts", "contacts", "id"),
    ],
)
def test_plenty_pages_to_is_last_page_without_skip_or_repeat(admin, connect, path, entity, key) -> None:
    plenty = admin("plenty")
    plenty.set_faults(latency_ms=1, latency_jitter_ms=15, seed=5)
    hook = PlentyHook(connect("plenty"), max_workers=4, retry_policy=FAST_RETRIES)
    rows = [row for page in hook.paginate(path, page_size=7) for row in page]
    expected = plenty.records(entity, limit=1000)["total"]
    # Stock rows are keyed by variation and warehouse.
    keys = [(r["variationId"], r["warehouseId"]) if key is None else r[key] for r in rows]
    assert len(keys) == len(set(keys)) == expected


def test_plenty_change_filter_on_orders(admin, connect) -> None:
    plenty = admin("plenty")
    since = (datetime.now(UTC) - timedelta(seconds=60)).isoformat(timespec="seconds")
    touched = plenty.touch("orders", count=3)
    hook = PlentyHook(connect("plenty"), max_workers=4, retry_policy=FAST_RETRIES)
    changed = [
        o["id"]
        for page in hook.paginate("/rest/orders", params={"updatedAtFrom": since}, page_size=2)
        for o in page
    ]
    assert sorted(changed) == sorted(touched)


def test_freeagent_follows_links_to_the_end_and_filters_on_updated_since(admin, connect) -> None:
    freeagent = admin("freeagent")
    freeagent.set_faults(latency_ms=1, latency_jitter_ms=15, seed=7)
    hook = FreeAgentHook(connect("freeagent"), max_workers=4, retry_policy=FAST_RETRIES)
    urls = [c["url"] for page in hook.paginate("/v2/contacts", page_size=3) for c in page]
    total = freeagent.records("contacts", limit=1000)["total"]
    assert len(urls) == len(set(urls)) == total
    one = hook.get(urls[0])  # a record's url is its address
    assert one["contact"]["url"] == urls[0]
    freeagent.clear_faults()
    since = (datetime.now(UTC) - timedelta(seconds=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    touched = freeagent.touch("contacts", count=2)
    changed = [
        c["url"] for page in hook.paginate("/v2/contacts", params={"updated_since": since}) for c in page
    ]
    assert len(changed) == 2 and all(any(url.endswith(f"/{t}") for url in changed) for t in touched)
