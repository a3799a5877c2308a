"""Chained profiles in a real Airflow (issue 18 point 5): a successful upstream run updates its Asset with the run's
summary, and Airflow queues the downstream profile (``schedule: {after: [...]}``) for its scheduler; a failed
upstream run queues nothing.

``dag.test()`` writes both DAGs to Airflow's metadata DB and runs the upstream; what the scheduler would do next
is read from Airflow's own tables and its own query (``DagModel.dags_needing_dagruns``).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_run_verdict import REFUSE_WRITES

pytestmark = pytest.mark.integration
UPSTREAM = "contact_export_freeagent"
DOWNSTREAM = "invoice_export_freeagent"
URI = f"profile-sync://profiles/{UPSTREAM}"


def asset_events(uri: str) -> list[dict[str, Any]]:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        rows = (
            session.query(AssetEvent)
            .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetModel.uri == uri)
            .order_by(AssetEvent.id)
            .all()
        )
        return [dict(row.extra or {}) | {"_source_run_id": row.source_run_id} for row in rows]


def queued_for(dag_id: str) -> bool:
    """The downstream DAG is in Airflow's asset queue and its scheduler query would create its run now."""
    from airflow.models.asset import AssetDagRunQueue
    from airflow.models.dag import DagModel
    from airflow.utils.session import create_session

    with create_session() as session:
        in_queue = session.query(AssetDagRunQueue).filter(AssetDagRunQueue.target_dag_id == dag_id).count() > 0
        query, _ = DagModel.dags_needing_dagruns(session)
        due = {model.dag_id for model in query}
        session.rollback()  # release the rows the scheduler's query locks
    return in_queue and dag_id in due


def clear_queue(dag_id: str) -> None:
    """What the scheduler does once it created the run: an earlier test's queued entry is not this test's."""
    from airflow.models.asset import AssetDagRunQueue
    from airflow.utils.session import create_session

    with create_session() as session:
        session.query(AssetDagRunQueue).filter(AssetDagRunQueue.target_dag_id == dag_id).delete()


@pytest.fixture
def chained(world):  # type: ignore[no-untyped-def]
    clear_queue(DOWNSTREAM)
    world.write_profile(UPSTREAM, schedule=None)
    world.write_profile(DOWNSTREAM, enabled=True, schedule={"after": [UPSTREAM]})
    return world


def test_a_successful_upstream_run_updates_its_asset_and_queues_the_downstream_profile(chained, admin) -> None:
    run = chained.run(UPSTREAM)
    assert run.state == "success", run.task_states
    [event] = [e for e in asset_events(URI) if e["_source_run_id"].startswith("manual__")][-1:]
    assert {key: event[key] for key in ("fetched", "created", "failed", "failed_new")} == {
        key: run.summary[key] for key in ("fetched", "created", "failed", "failed_new")
    }
    assert queued_for(DOWNSTREAM), "the downstream profile waits for the upstream's Asset"

    downstream = chained.run(DOWNSTREAM)  # the run the scheduler would start: invoices after their contacts
    assert downstream.state == "success", downstream.task_states
    assert downstream.summary["failed"] == 0 and downstream.summary["created"] > 0


def test_a_failed_upstream_run_updates_nothing_and_queues_nothing(chained, admin) -> None:
    before = len(asset_events(URI))
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    assert chained.run(UPSTREAM).state == "failed"
    assert len(asset_events(URI)) == before
    assert not queued_for(DOWNSTREAM)
