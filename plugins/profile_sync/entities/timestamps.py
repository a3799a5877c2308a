"""The systems' timestamp formats, parsed to aware UTC datetimes and written back."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_timestamp(value: str | None) -> datetime | None:
    """Magento's ``2024-05-01 10:00:00`` (UTC), PlentyONE's and FreeAgent's ISO 8601 with an offset."""
    if not value:
        return None
    text = value.strip().replace(" ", "T", 1).replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def magento_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def iso_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")
