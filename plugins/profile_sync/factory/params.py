"""The Params of a manual run ("Trigger DAG w/ config"), validated by Airflow before a run starts."""

from __future__ import annotations

from airflow.sdk import Param

# Source ids are Magento entity ids, SKUs, e-mails or PlentyONE ids: printable text, no control characters.
# They never become paths (staging names come from batch numbers) and go to SQL and URLs only escaped.
ID_PATTERN = r"^[^\x00-\x1f\x7f]{1,128}$"
MAX_IDS = 10_000


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
