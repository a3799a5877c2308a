"""Hostile manual input (issue 10, point 5): real DAG runs triggered with hostile Params.

A bad Param value is refused by name before a run starts (or, where Airflow's check lets it through, the run
fails at its start naming the Param). Ids that look like paths, SQL or URLs keep their meaning: they create no
file outside the run's staging folder, change nothing in the state store, and cause no request but the ones
their profile makes for real ids (the sandbox's request logs show every request the run made)."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests.integration import conftest as integration
from tests.integration.test_plenty_order_export_run import all_records
from tests.reliability.hostile import RTL_LAST
from tests.reliability.order_figures import with_figures_of_its_items

pytestmark = [pytest.mark.reliability, pytest.mark.integration]
# the integration suite's fixtures: the sandbox servers, their admin clients, a migrated Airflow DB, a test's world
sandbox, admin, airflow_db, world = integration.sandbox, integration.admin, integration.airflow_db, integration.world
SCENARIO = "5. Hostile manual input"
ORDER_EXPORT = "order_export_plenty"
CONTACT_IMPORT = "contact_import_freeagent"
EXTERNAL_ID = 7

PATHS = ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "~/.ssh/id"]
SQL = ["1; DROP TABLE id_map; --", "1' OR '1'='1", "1 OR 1=1", "1/**/UNION/**/SELECT/**/1", "%' --"]
URLS = ["http://127.0.0.2:1/x", "//127.0.0.2:1/x", "https://evil.example/v2/contacts/1", "file:///etc/passwd"]
WIDENING = ["1,2,3", "1%2C2", " 1", "+1", "1e3", "１２", RTL_LAST, "x" * 128]  # would name other records, or none
HOSTILE_IDS = PATHS + SQL + URLS + WIDENING
MARKERS = ("passwd", "win.ini", "id_map", "DROP", "UNION", "127.0.0.2", "evil.example", ".ssh", "1,2", "1e3")


def _dag_runs(dag_id: str) -> int:
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        return session.query(DagRun).filter(DagRun.dag_id == dag_id).count()


@pytest.mark.parametrize(
    ("conf", "param"),
    [
        ({"behaviour": "bogus"}, "behaviour"),
        ({"behaviour": "replace; DROP TABLE id_map"}, "behaviour"),
        ({"behaviour": ["replace"]}, "behaviour"),
        ({"ids": "1,2"}, "ids"),
        ({"ids": ["ok", "\u0000"]}, "ids"),
        ({"ids": ["ok", "line\nbreak"]}, "ids"),
        ({"ids": ["x" * 129]}, "ids"),
        ({"ids": [""]}, "ids"),
        ({"ids": [42]}, "ids"),
        ({"ids": [{"$ne": 1}]}, "ids"),
        ({"ids": ["1"] * 10_001}, "ids"),
        ({"dry_run": "yes"}, "dry_run"),
        ({"dry_run": None}, "dry_run"),
        ({"retry_failed": 1}, "retry_failed"),
    ],
)
def test_a_bad_param_is_refused_by_name_before_a_run_starts(world, admin, tally, conf, param) -> None:
    from airflow.sdk.definitions.param import ParamValidationError

    world.write_profile(ORDER_EXPORT, schedule=None)
    before = _dag_runs(ORDER_EXPORT)
    with pytest.raises(ParamValidationError) as refused:
        world.run(ORDER_EXPORT, conf=conf)
    assert f"param {param}" in str(refused.value), str(refused.value)[:300]
    assert _dag_runs(ORDER_EXPORT) == before  # no run was created
    assert all(client.requests() == [] for client in admin.values())  # nor any request sent
    tally(SCENARIO).add(iterations=1, faults=1, records=1)


def test_an_id_that_only_airflows_check_lets_through_fails_the_run_at_its_start(world, admin, tally, capfd) -> None:
    """JSON Schema's ``$`` matches before a final newline: "1\\n" passes the Param's pattern; the run's own check
    refuses it before anything is fetched."""
    world.write_profile(ORDER_EXPORT, schedule=None, task_retries={"retries": 0})
    run = world.run(ORDER_EXPORT, conf={"ids": ["1\n"]})
    out, err = capfd.readouterr()
    assert run.state == "failed" and str(run.task_states[("fetch", -1)]) == "failed", run.task_states
    assert "Param ids: '1\\n' is not an id" in out + err
    assert not [r for r in admin["magento"].requests() if "orders" in r["path"]]  # nothing was fetched
    assert admin["plenty"].requests() == []
    tally(SCENARIO).add(iterations=1, faults=1, records=1)


def _state_snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the state store with all its rows (sorted): the schema and the data, to compare."""
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {table: sorted(map(tuple, db.execute(f'SELECT * FROM "{table}"')), key=repr) for table in tables}


def _files(*roots: Path) -> set[Path]:
    return {path for root in roots for path in root.rglob("*")}


def _good_order(admin) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A new Magento order whose SKUs PlentyONE has: exported for sure."""
    skus = [str(v["number"]) for v in all_records(admin["plenty"], "variations") if v.get("number")]
    template = next(
        o for o in all_records(admin["magento"], "orders") if o["store_id"] == 1 and o["status"] == "processing"
    )
    order = copy.deepcopy(template)
    order.update(
        entity_id=910_001,
        increment_id="M910001",
        customer_email="manual.input@example.com",
        items=[
            {"item_id": 910_002, "sku": skus[0], "name": "x", "qty_ordered": 1, "price": 5.0, "price_incl_tax": 6.0}
        ],
    )
    return admin["magento"].create("orders", with_figures_of_its_items(order))


def _hostile_requests(client) -> list[str]:  # type: ignore[no-untyped-def]
    """Requests that carry a hostile id in their path or query, in any encoding."""
    found = []
    for request in client.requests(limit=1000):
        seen = unquote(unquote(f"{request['path']}?{request['query']}"))
        if any(marker in seen for marker in MARKERS) or any(i in seen for i in PATHS + SQL + URLS):
            found.append(f"{request['method']} {seen}")
    return found


def test_ids_like_paths_sql_and_urls_keep_their_meaning_in_a_real_run(world, admin, tally, tmp_path: Path) -> None:
    order = _good_order(admin)
    good = str(order["entity_id"])
    world.write_profile(ORDER_EXPORT, schedule=None)
    first = world.run(ORDER_EXPORT, conf={"ids": [good]})
    assert first.state == "success" and first.summary["created"] == 1, (first.state, first.summary)
    state_before = _state_snapshot(world.state_url)
    staging = tmp_path / "staging"
    files_before = _files(tmp_path)
    tmp_before = set(Path("/tmp").iterdir())
    orders_before = all_records(admin["plenty"], "orders")
    for client in admin.values():
        client.clear_requests()

    run = world.run(ORDER_EXPORT, conf={"ids": [*HOSTILE_IDS, good], "behaviour": "replace"})

    # the run: green, and the one real id is all it synced (unchanged: skipped); the others named no record
    assert run.state == "success", run.task_states
    assert (run.summary["fetched"], run.summary["skipped"], run.summary["mode"]) == (1, 1, "ids"), run.summary
    assert all_records(admin["plenty"], "orders") == orders_before
    # the state store: the same tables with the same rows (ids mode moves no watermark, an unchanged record
    # writes nothing)
    assert _state_snapshot(world.state_url) == state_before
    # files: nothing new outside the staging folder, nothing left in it, nothing named after an id anywhere
    new = _files(tmp_path) - files_before
    assert all(path == staging or staging in path.parents for path in new), sorted(map(str, new))
    assert not [p for p in staging.rglob("*") if p.is_file()], list(staging.rglob("*"))
    new_in_tmp = set(Path("/tmp").iterdir()) - tmp_before
    assert not [p for p in new_in_tmp if any(m in p.name for m in MARKERS)], new_in_tmp
    # requests: Magento was asked for the real id only; no id reached any server, in any encoding
    searches = [r for r in admin["magento"].requests(limit=1000) if r["path"].endswith("/V1/orders")]
    assert searches and all(
        f"[value]={good}&" in unquote(r["query"]) + "&" and "entity_id" in unquote(r["query"]) for r in searches
    ), [unquote(r["query"]) for r in searches]
    leaked = {name: _hostile_requests(client) for name, client in admin.items()}
    assert leaked == {name: [] for name in admin}, leaked
    tally(SCENARIO).add(iterations=2, faults=len(HOSTILE_IDS), records=len(HOSTILE_IDS) + 1)


def test_url_like_contact_ids_request_no_other_host_and_no_other_resource(world, admin, tally) -> None:
    freeagent = admin["freeagent"]
    contact = freeagent.create(
        "contacts",
        {"first_name": "Manual", "last_name": "Input", "email": "manual.contact@example.com", "locale": "en"},
    )
    url = str(contact["url"])
    base = url.split("/v2/", 1)[0]
    number = url.rsplit("/", 1)[1]
    ids = [
        url,
        "http://127.0.0.2:1/v2/contacts/1",
        "//127.0.0.2:1/v2/contacts/1",
        "https://evil.example/v2/contacts/1",
        base.replace("127.0.0.1", "localhost") + f"/v2/contacts/{number}",  # the same server under another name
        f"{base}/v2/users/me",
        f"{base}/v2/contacts/{number}/../../users/me",
        f"{base}/v2/contacts/{number}?view=all",
        f"{base}@127.0.0.2:1/v2/contacts/1",
        "/v2/contacts/1",
        "../../etc/passwd",
        "%2e%2e%2fv2%2fusers%2fme",
        "1; DROP TABLE contacts; --",
    ]
    world.write_profile(CONTACT_IMPORT, schedule=None)
    for client in admin.values():
        client.clear_requests()
    run = world.run(CONTACT_IMPORT, conf={"ids": ids})

    assert run.state == "success", run.task_states
    assert (run.summary["fetched"], run.summary["created"], run.summary["failed"]) == (1, 1, 0), run.summary
    customers = [c for c in all_records(admin["magento"], "customers") if c["email"] == "manual.contact@example.com"]
    assert [(c["firstname"], c["lastname"]) for c in customers] == [("Manual", "Input")]
    asked = {(r["method"], r["path"]) for r in freeagent.requests(limit=1000)}
    assert asked <= {("GET", f"/v2/contacts/{number}"), ("POST", "/v2/token_endpoint")}, asked
    assert ("GET", f"/v2/contacts/{number}") in asked
    leaked = {name: _hostile_requests(client) for name, client in admin.items()}
    assert leaked == {name: [] for name in admin}, leaked
    tally(SCENARIO).add(iterations=1, faults=len(ids) - 1, records=len(ids))
