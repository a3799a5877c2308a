"""The Params of a manual run ("Trigger DAG w/ config"), validated by Airflow before a run starts."""

from __future__ import annotations

from airflow.sdk import Param

from profile_sync.engine.run_settings import ID_PATTERN, MAX_IDS


def run_params() -> dict[str, Param]:
    return {
        "behaviour": Param(
            "profile",
            type="string",
            enum=["profile", "append", "replace"],
            description="profile: the profile's API behaviour; replace: a full resync; append: changes only.",
        ),
        "ids": Param(
            [],
            type="array",
            items={"type": "string", "pattern": ID_PATTERN},
            maxItems=MAX_IDS,
            description="Sync only these source ids (a targeted sync). Empty: the whole scope.",
        ),
        "dry_run": Param(False, type="boolean", description="Fetch and transform only: no push, no state change."),
        "retry_failed": Param(False, type="boolean", description="Sync only the profile's failed entries."),
    }
