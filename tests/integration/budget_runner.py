"""One profile's run in a process of its own, for the shared-budget test: its own Airflow metadata DB (a copy),
the test's state store, sandbox and staging. Parses the DAG, says it is ready, waits for the go file, runs
``dag.test()`` with the given Params and writes the run's outcome as JSON.

``python -m tests.integration.budget_runner <profile id> <ready file> <go file> <result file> <conf json>``
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(profile_id: str, ready: Path, go: Path, result: Path, conf: str) -> int:
    from airflow.dag_processing.dagbag import DagBag

    from profile_sync.profiles.shards import dag_file_for
    from tests.integration.harness import ROOT, _xcom

    os.environ["_AIRFLOW_PARSING_CONTEXT_DAG_ID"] = profile_id
    bag = DagBag(dag_folder=str(dag_file_for(profile_id, ROOT / "dags")))
    os.environ.pop("_AIRFLOW_PARSING_CONTEXT_DAG_ID", None)
    dag = bag.dags[profile_id]
    ready.write_text("ready")
    while not go.exists():
        time.sleep(0.05)
    started = time.time()
    run = dag.test(run_conf=json.loads(conf))
    summary = _xcom(run.dag_id, run.run_id, "finish")
    states = {f"{ti.task_id}[{ti.map_index}]": str(ti.state) for ti in run.get_task_instances()}
    result.write_text(
        json.dumps({"state": str(run.state), "summary": summary, "tasks": states, "started": started,
                    "ended": time.time()})
    )
    return 0


if __name__ == "__main__":
    profile, ready_file, go_file, result_file, params = sys.argv[1:6]
    sys.exit(main(profile, Path(ready_file), Path(go_file), Path(result_file), params))
