"""The DAG's doc_md: the profile's settings as a table a data engineer reads on the DAG page."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from profile_sync.profiles import Profile
from profile_sync.profiles.schema import ScheduleAfter

PROFILE_MARK = "profile-sync:"


def embedded_profile(profile: Profile, dumped: dict[str, Any] | None = None) -> str:
    """The profile's settings as a Markdown comment (a link reference nothing renders): the UI plugin reads the
    profile from the serialized DAG when the API server has no profile files (DAG bundles, git-sync)."""
    dumped = profile.model_dump(mode="json") if dumped is None else dumped
    data = base64.b64encode(json.dumps(dumped, sort_keys=True).encode()).decode()
    return f"\n\n[//]: # ({PROFILE_MARK}{data})\n"


def profile_doc(profile: Profile, source: Path | None = None) -> str:
    dumped = profile.model_dump(mode="json")  # once: the table and the embedded copy read the same (parse time)
    rows = [
        ("Profile type", f"{profile.type.label} ({profile.type.summary})"),
        ("Schedule", _schedule(profile)),
        ("Enabled on creation", _yes(profile.enabled)),
    ]
    rows += [(f"{group}.{key}", _value(value)) for group, key, value in _settings(dumped)]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    where = f"\n\nDefined in `{source.name}`." if source else ""
    description = f"{profile.description}\n\n" if profile.description else ""
    asset = f"\n\nA successful run updates the Asset `profile-sync://profiles/{profile.id}` (its summary in the event's extra)."
    return (
        f"### {profile.name}\n\n{description}| setting | value |\n| --- | --- |\n{table}{where}{asset}\n\n"
        f"[Synchronised records, failed entries and export queue](/profile-sync/profiles/{profile.id})\n\n"
        "Pause this DAG to disable the profile. Trigger it with config for a full resync (`behaviour: replace`), "
        "a targeted sync (`ids`), a dry run, or a retry of the failed entries."
    ) + embedded_profile(profile, dumped)


def _schedule(profile: Profile) -> str:
    if isinstance(profile.schedule, ScheduleAfter):
        return "after " + ", ".join(f"`{profile_id}`" for profile_id in profile.schedule.after) + " (their Assets)"
    return f"`{profile.schedule}`" if profile.schedule else "manual runs only"


def _settings(dumped: dict[str, Any]) -> list[tuple[str, str, Any]]:
    groups = ("connections", "schedule_config", "api", "store", "events", "log", "task_retries", "run")
    groups += ("fail_when", "notify", "entity_config")
    found: list[tuple[str, str, Any]] = []
    for group in groups:
        for key, value in dumped[group].items():
            found.append((group, key, value))
    return found


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return _yes(value)
    if isinstance(value, list):
        return "<br>".join(_value(item) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "—"
    return "—" if value is None else str(value).replace("|", "\\|")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
