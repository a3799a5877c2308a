"""History retention (issue 18 point 8): the maintenance DAG, run for real, prunes the per-record history older than
each profile's ``history_retention_days`` and keeps the rest, and a profile with no retention keeps everything."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
KEPT, PRUNED = "contact_export_freeagent", "customer_export_plenty"


def history_counts(world) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(rows older than 30 days, newer rows) per profile."""
    from profile_sync.state.schema import history

    cutoff = datetime.now(UTC) - timedelta(days=30)
    with world.state() as state, state.engine.connect() as conn:
        found = {}
        for profile_id in (KEPT, PRUNED):
            mine = history.c.profile_id == profile_id
            old = conn.execute(select(func.count()).where(mine, history.c.at < cutoff)).scalar_one()
            new = conn.execute(select(func.count()).where(mine, history.c.at >= cutoff)).scalar_one()
            found[profile_id] = (int(old), int(new))
        return found


def age_half_the_history(world, days: int) -> None:  # type: ignore[no-untyped-def]
    """Move every other history row ``days`` into the past, as if written then."""
    from profile_sync.state.schema import history

    with world.state() as state, state.engine.begin() as conn:
        conn.execute(update(history).where(history.c.id % 2 == 0).values(at=datetime.now(UTC) - timedelta(days=days)))


def run_maintenance():  # type: ignore[no-untyped-def]
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags" / "profile_sync_maintenance.py"))
    return bag.dags["profile_sync_maintenance"].test()


def test_the_maintenance_dag_prunes_old_history_per_profile_retention(world) -> None:
    world.write_profile(KEPT, schedule_config={"history_retention_days": None})
    world.write_profile(PRUNED, schedule_config={"history_retention_days": 30})
    assert world.run(KEPT).state == "success" and world.run(PRUNED).state == "success"
    age_half_the_history(world, days=45)
    before = history_counts(world)
    assert all(old > 0 and new > 0 for old, new in before.values()), before

    assert os.environ["PROFILE_SYNC_CONFIG_DIR"] == str(world.config_dir)
    run = run_maintenance()
    assert str(run.state) == "success"
    after = history_counts(world)
    assert after[PRUNED] == (0, before[PRUNED][1]), "older than 30 days: pruned; newer: kept"
    assert after[KEPT] == before[KEPT], "no retention: everything kept"
    with world.state() as state:  # the ID map is not history: untouched
        assert state.profile_counts(PRUNED).mapped > 0
