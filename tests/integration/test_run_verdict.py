"""fail_when as real DAG runs: failed records fail the run after finish committed everything (issue 18 point 1)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration
PROFILE = "contact_export_freeagent"
# FreeAgent refuses every write (a validation error): every contact of the run fails, terminally
REFUSE_WRITES = {
    "error_rate": 1.0,
    "error_codes": [422],
    "only_methods": ["POST", "PUT"],
    "only_paths": ["/v2/contacts"],  # not the token endpoint: a refused login fails the task (point 2)
    "seed": 3,
}


def task_tries(dag_id: str, task_id: str) -> list[tuple[str, int]]:
    """(state, try number) of ``task_id`` in the DAG's latest run (each mapped instance), from Airflow's DB."""
    from airflow.models.dagrun import DagRun
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        latest = session.query(DagRun).filter(DagRun.dag_id == dag_id).order_by(DagRun.id.desc()).first()
        if latest is None:
            return []
        rows = (
            session.query(TaskInstance)
            .filter(TaskInstance.dag_id == dag_id, TaskInstance.run_id == latest.run_id)
            .filter(TaskInstance.task_id == task_id)
            .order_by(TaskInstance.map_index)
            .all()
        )
        return [(str(ti.state), int(ti.try_number)) for ti in rows]


def failed_entries(world) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with world.state() as state:
        return {entry.source_id: entry.attempts for entry in state.failed_entries(PROFILE)}


def test_every_record_failing_fails_the_run_once_after_committing_everything(world, admin) -> None:
    world.write_profile(PROFILE)  # fail_when from defaults.yaml: one record failing for the first time
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    run = world.run(PROFILE)
    assert run.state == "failed", run.task_states
    assert run.task_states[("finish", -1)] == "failed"
    assert task_tries(PROFILE, "finish")[-1][1] == 1, "a run that fails on its records is not retried"
    summary = run.summary  # pushed before the run failed: the red run still says what it did
    assert summary is not None and summary["fetched"] > 0
    assert summary["failed"] == summary["failed_new"] == summary["fetched"]
    assert "failed for the first time" in summary["failed_run"]
    entries = failed_entries(world)
    assert len(entries) == summary["fetched"] and set(entries.values()) == {1}
    with world.state() as state:
        assert state.get_watermark(PROFILE) is not None, "the watermark moved before the run failed"


def test_records_that_failed_before_do_not_fail_the_next_run_unless_asked(world, admin) -> None:
    world.write_profile(PROFILE)
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    assert world.run(PROFILE).state == "failed"

    again = world.run(PROFILE)  # retry on error: the same records fail a second time
    assert again.state == "success", again.task_states
    assert again.summary["failed"] == again.summary["failed_repeated"] > 0
    assert again.summary["failed_new"] == 0 and "failed_run" not in again.summary
    assert set(failed_entries(world).values()) == {2}

    world.write_profile(PROFILE, fail_when={"count_repeated": True})
    until_fixed = world.run(PROFILE)
    assert until_fixed.state == "failed"
    assert "failed in this run" in until_fixed.summary["failed_run"]


def test_a_single_old_failed_record_leaves_the_run_green(world, admin) -> None:
    world.write_profile(PROFILE)
    assert world.run(PROFILE).state == "success"  # everything synced
    customer = admin["magento"].records("customers", limit=1)["items"][0]
    admin["magento"].touch("customers", ids=[customer["id"]])
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    first = world.run(PROFILE)
    assert (first.state, first.summary["failed_new"]) == ("failed", 1)
    second = world.run(PROFILE)  # the one old failed record is tried again and fails again
    assert second.state == "success", second.task_states
    assert (second.summary["failed"], second.summary["failed_new"]) == (1, 0)


@pytest.mark.parametrize(
    ("fail_when", "state"), [("never", "success"), ("100%", "failed"), ({"new_failed": 1000}, "success")]
)
def test_fail_when_thresholds(world, admin, fail_when: Any, state: str) -> None:
    world.write_profile(PROFILE, fail_when=fail_when)
    admin["freeagent"].set_faults(**REFUSE_WRITES)
    run = world.run(PROFILE)
    assert run.state == state, run.task_states
    assert run.summary["failed_new"] == run.summary["fetched"] > 0
