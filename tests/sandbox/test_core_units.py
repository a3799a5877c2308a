"""Unit behaviour of the core pieces: tables, tokens, limiter, fault draws, world generation."""

from __future__ import annotations

from sandbox.core.auth import AuthConfig, TokenAuthority, bearer_token
from sandbox.core.faults import FaultConfig, FaultInjector
from sandbox.core.ratelimit import FreeAgentLimits, PlentyLimits, RateLimiter, Window
from sandbox.core.requestlog import body_text, mask_headers
from sandbox.core.store import Table
from sandbox.world import build_world


def test_table_keeps_key_and_updated_order_through_writes() -> None:
    table = Table("t")
    table.load([(3, {"id": 3}, 30.0), (1, {"id": 1}, 30.0), (2, {"id": 2}, 10.0)])
    assert table.keys() == [1, 2, 3]
    assert table.keys_by_updated() == [2, 1, 3]  # ties ordered by key
    table.put(2, {"id": 2, "x": 1}, 40.0)
    table.put(4, {"id": 4}, 20.0)
    assert table.keys_by_updated() == [4, 1, 3, 2]
    assert table.keys_by_updated(since=30.0) == [1, 3, 2]
    assert table.keys_by_updated(since=20.0, until=30.0) == [4, 1, 3]
    assert table.keys_by_updated(since=30.0, since_inclusive=False) == [2]
    table.delete(1)
    assert table.keys() == [2, 3, 4] and table.keys_by_updated() == [4, 3, 2]
    assert table.next_key() == 5
    assert [r["id"] for r in table.page(table.keys(), 1, 5)] == [3, 4]


def test_group_index_and_subset_follow_writes() -> None:
    table = Table("t")
    table.load([(1, {"n": "a"}, 10.0), (2, {"n": "b"}, 20.0), (3, {"n": "a"}, 30.0)])
    groups = table.group_index("n", lambda r: (r.get("n"),)).groups
    assert groups == {("a",): [(10.0, 1), (30.0, 3)], ("b",): [(20.0, 2)]}
    record = table.get(2)
    record["n"] = "a"  # edited in place, then stored: the index forgets what it grouped it by
    table.put(2, record, 5.0)
    table.delete(3)
    table.put(4, {"n": ["unhashable"]}, 1.0)
    index = table.group_index("n", lambda r: (r.get("n"),))
    assert index.groups == {("a",): [(5.0, 2), (10.0, 1)]} and not index.usable
    table.delete(4)
    assert index.usable
    assert table.count_union([index.groups[("a",)]], since=6.0) == 1
    assert table.union_page(None, 0, 2, descending=True) == [1, 2]
    assert table.subset([9, 1, 2, 2], since=6.0) == [1] and table.subset([2, 1, 3]) == [1, 2]


def test_tokens_expire_refresh_and_revoke_on_a_fake_clock() -> None:
    now = [1000.0]
    authority = TokenAuthority(60, refresh_ttl=600, clock=lambda: now[0])
    token = authority.issue("admin")
    assert authority.validate(token.access_token) == "admin"
    now[0] += 61
    assert authority.validate(token.access_token) is None
    renewed = authority.refresh(token.refresh_token)
    assert renewed is not None and authority.validate(renewed.access_token) == "admin"
    rotated = authority.refresh(token.refresh_token, rotate=True)
    assert rotated is not None and authority.refresh(token.refresh_token) is None
    authority.configure(AuthConfig(access_token_ttl_seconds=5, revoke_refresh_tokens=True))
    assert authority.refresh(rotated.refresh_token) is None
    assert authority.issue("admin").expires_in == 5
    assert bearer_token({"authorization": "bearer abc"}) == "abc"
    assert bearer_token({"authorization": "Basic abc"}) is None


def test_sliding_window_refuses_with_retry_after_until_the_oldest_call_leaves() -> None:
    limiter = RateLimiter([Window("minute", 2, 60)])
    assert limiter.check("GET", 0.0).allowed and limiter.check("GET", 10.0).allowed
    refused = limiter.check("GET", 20.0)
    assert not refused.allowed and refused.retry_after == 40
    assert limiter.check("GET", 60.5).allowed  # the call at 0 left the window


def test_plenty_limits_count_reads_and_writes_apart_and_write_headers() -> None:
    limiter = PlentyLimits(read_per_minute=2, write_per_minute=1).build()
    assert limiter is not None
    first = dict(limiter.check("GET", 0.0).headers)
    assert first["X-Plenty-Global-Short-Period-Limit"] == "120"
    assert first["X-Plenty-Route-Calls-Left"] == "1"
    assert limiter.check("POST", 0.1).allowed
    assert not limiter.check("PUT", 0.2).allowed  # one write a minute
    assert limiter.check("GET", 0.3).allowed  # reads have their own budget
    assert not limiter.check("GET", 0.4).allowed
    assert FreeAgentLimits(enabled=False).build() is None


def test_fault_draws_are_reproducible_and_spare_the_admin_surface() -> None:
    def draws(seed: int) -> list[str | None]:
        injector = FaultInjector()
        injector.configure(FaultConfig(error_rate=0.3, rate_429=0.2, seed=seed))
        return [injector.decide("GET", "/rest/V1/orders").kind for _ in range(200)]

    assert draws(7) == draws(7) != draws(8)
    kinds = draws(7)
    assert 30 < kinds.count("error") < 90 and 15 < kinds.count("rate_429") < 65
    injector = FaultInjector()
    injector.configure(FaultConfig(error_rate=1.0, process_then_fail_rate=1.0, only_paths=["/rest/V1/orders"]))
    assert injector.decide("GET", "/_sandbox/counts").kind is None
    assert injector.decide("GET", "/rest/V1/customers/search").kind is None
    assert injector.decide("GET", "/rest/V1/orders").kind == "error"
    injector.configure(FaultConfig(process_then_fail_rate=1.0))
    assert injector.decide("GET", "/rest/V1/orders").kind is None  # reads never "process then fail"
    assert injector.decide("POST", "/rest/V1/orders").kind == "process_then_fail"
    # skip_first: that many matching requests pass, then the faults draw as they would have from the first
    injector.configure(FaultConfig(process_then_hang_rate=1.0, only_methods=["POST"], skip_first=2))
    kinds = [injector.decide(m, "/rest/orders").kind for m in ("POST", "GET", "POST", "PUT", "POST", "POST")]
    assert kinds == [None, None, None, None, "process_then_hang", "process_then_hang"]

    def skipped(first: int) -> list[str | None]:
        injector.configure(FaultConfig(error_rate=0.5, seed=3, skip_first=first))
        return [injector.decide("GET", "/rest/orders").kind for _ in range(first + 50)][first:]

    assert skipped(0) == skipped(4)


def test_request_log_masks_credentials() -> None:
    headers = mask_headers([(b"Authorization", b"Bearer secret-token"), (b"Accept", b"*/*")])
    assert headers == {"authorization": "Bearer ***", "accept": "*/*"}
    assert "hunter2" not in body_text(b'{"username":"admin","password":"hunter2"}')
    assert "s3cr3t" not in body_text(b"grant_type=refresh_token&refresh_token=s3cr3t")


def test_world_is_deterministic_and_consistent() -> None:
    world = build_world(5, "small", anchor=1_700_000_000.0)
    again = build_world(5, "small", counts={"orders": 500}, anchor=1_700_000_000.0)
    assert world is again  # same sizes: the cached copy
    other = build_world(6, "small", anchor=1_700_000_000.0)
    assert [c.email for c in world.customers] != [c.email for c in other.customers]
    fresh = build_world(5, "small", counts={"orders": 499}, anchor=1_700_000_000.0)
    assert [c.email for c in fresh.customers] == [c.email for c in world.customers]  # other kinds unchanged
    assert (len(world.customers), len(world.products), len(world.categories), len(world.attributes),
            len(world.orders)) == (200, 150, 40, 10, 500)
    assert len({c.email for c in world.customers}) == len(world.customers)
    assert any(any(ord(ch) > 127 for ch in c.lastname + c.addresses[0].street[0]) for c in world.customers)
    assert {c.store.code for c in world.customers} == {"default", "de", "fr"}
    skus = world.products_by_sku
    assert all(item.sku in skus for order in world.orders for item in order.items)
    sellable = [p for p in world.products if p.sellable]
    assert len(world.stock) == 2 * len(sellable)
    assert 0 < sum(not p.in_plenty for p in sellable) <= 0.06 * len(sellable)
    assert any(p.type_id == "configurable" and p.children_ids for p in world.products)
    oldest = min(o.updated_at for o in world.orders)
    assert world.anchor - 91 * 86400 <= oldest and max(o.updated_at for o in world.orders) <= world.anchor
