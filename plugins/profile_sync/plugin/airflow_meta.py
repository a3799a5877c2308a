"""What Airflow's metadata DB knows of a profile's DAG: paused, schedule, last and next run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from airflow.models.dag import DagModel
from airflow.models.dagrun import DagRun
from sqlalchemy import func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class DagSummary:
    dag_id: str
    is_paused: bool
    schedule: str | None
    has_import_errors: bool
    next_run: datetime | None
    last_run_id: str | None = None
    last_run_state: str | None = None
    last_run_at: datetime | None = None  # when it ended, else started, else was due


def dag_summaries(session: Session, dag_ids: Iterable[str]) -> dict[str, DagSummary]:
    """One row per known, non-stale DAG among ``dag_ids``; two queries whatever the number of DAGs."""
    wanted = sorted(set(dag_ids))
    if not wanted:
        return {}
    dags = session.execute(
        select(
            DagModel.dag_id,
            DagModel.is_paused,
            DagModel.timetable_summary,
            DagModel.has_import_errors,
            DagModel.next_dagrun,
        ).where(DagModel.dag_id.in_(wanted), ~DagModel.is_stale)
    ).all()
    latest = (
        select(DagRun.dag_id, func.max(DagRun.id).label("id"))
        .where(DagRun.dag_id.in_(wanted))
        .group_by(DagRun.dag_id)
        .subquery()
    )
    runs = {
        row.dag_id: row
        for row in session.execute(
            select(
                DagRun.dag_id, DagRun.run_id, DagRun.state, DagRun.end_date, DagRun.start_date, DagRun.run_after
            ).join(latest, DagRun.id == latest.c.id)
        ).all()
    }
    summaries: dict[str, DagSummary] = {}
    for dag in dags:
        run = runs.get(dag.dag_id)
        summaries[dag.dag_id] = DagSummary(
            dag_id=dag.dag_id,
            is_paused=bool(dag.is_paused),
            schedule=dag.timetable_summary,
            has_import_errors=bool(dag.has_import_errors),
            next_run=dag.next_dagrun,
            last_run_id=run.run_id if run else None,
            last_run_state=_text(run.state) if run else None,
            last_run_at=(run.end_date or run.start_date or run.run_after) if run else None,
        )
    return summaries


def recent_runs(session: Session, dag_id: str, limit: int = 10) -> list[dict[str, object]]:
    """The DAG's latest runs, newest first: what a person checks after pressing a button here."""
    rows = session.execute(
        select(
            DagRun.run_id,
            DagRun.state,
            DagRun.run_type,
            DagRun.conf,
            DagRun.run_after,
            DagRun.start_date,
            DagRun.end_date,
            DagRun.triggering_user_name,
        )
        .where(DagRun.dag_id == dag_id)
        .order_by(DagRun.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "run_id": row.run_id,
            "state": _text(row.state),
            "run_type": _text(row.run_type),
            "conf": row.conf or {},
            "run_after": row.run_after,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "triggered_by": row.triggering_user_name,
        }
        for row in rows
    ]


def _text(value: object) -> str | None:
    """An Airflow state enum (or plain string) as its value."""
    if value is None:
        return None
    return str(getattr(value, "value", value))
