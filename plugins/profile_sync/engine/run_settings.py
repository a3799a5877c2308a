"""What one DAG run does, from the profile and the run's Params (validated again here: defence in depth)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from profile_sync.profiles import Profile

Mode = Literal["append", "replace", "ids", "retry_failed"]
# Source ids are Magento entity ids, SKUs, e-mails or PlentyONE ids: printable text, no control characters.
# They never become paths (staging names come from batch numbers) and go to SQL and URLs only escaped.
# The factory's Params and the UI's API check ids with these same rules before a run starts.
ID_PATTERN = r"^[^\x00-\x1f\x7f]{1,128}$"
MAX_IDS = 10_000
_ID = re.compile(ID_PATTERN)


class InvalidRunParams(ValueError):
    """The run's Params do not make sense; the message names the Param and what is allowed."""


@dataclass(frozen=True)
class RunSettings:
    profile_id: str
    dag_id: str
    run_id: str
    behaviour: Literal["append", "replace"]
    ids: tuple[str, ...]
    dry_run: bool
    retry_failed: bool

    @property
    def mode(self) -> Mode:
        if self.retry_failed:
            return "retry_failed"
        if self.ids:
            return "ids"
        return self.behaviour

    @property
    def moves_watermark(self) -> bool:
        """Only a full scan (append or replace) may move the watermark; targeted runs never do."""
        return self.mode in ("append", "replace") and not self.dry_run

    @classmethod
    def from_context(cls, profile: Profile, context: Mapping[str, Any]) -> RunSettings:
        params = dict(context.get("params") or {})
        behaviour = params.get("behaviour", "profile")
        if behaviour not in ("profile", "append", "replace"):
            raise InvalidRunParams(f"Param behaviour: {behaviour!r} is not allowed; allowed: profile, append, replace")
        ids = params.get("ids") or []
        if not isinstance(ids, list) or len(ids) > MAX_IDS:
            raise InvalidRunParams(f"Param ids: a list of at most {MAX_IDS} ids is allowed")
        for value in ids:
            if not isinstance(value, str | int) or not _ID.fullmatch(str(value)):  # "$" lets "1\n" through
                raise InvalidRunParams(f"Param ids: {str(value)[:40]!r} is not an id (1-128 printable characters)")
        for flag in ("dry_run", "retry_failed"):
            if not isinstance(params.get(flag, False), bool):
                raise InvalidRunParams(f"Param {flag}: must be true or false")
        dag_run = context.get("dag_run")
        return cls(
            profile_id=profile.id,
            dag_id=profile.id,
            run_id=str(getattr(dag_run, "run_id", None) or context.get("run_id") or "manual"),
            behaviour=profile.api.behaviour if behaviour == "profile" else behaviour,
            ids=tuple(dict.fromkeys(str(value) for value in ids)),
            dry_run=bool(params.get("dry_run", False)),
            retry_failed=bool(params.get("retry_failed", False)),
        )
