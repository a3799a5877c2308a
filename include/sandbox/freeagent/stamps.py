"""FreeAgent's timestamp format, shared by the seed, the state and the routes."""

from __future__ import annotations

from datetime import UTC, datetime


def stamp(ts: float) -> str:
    """FreeAgent's timestamps: ``2024-05-01T10:00:00.000Z``."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
