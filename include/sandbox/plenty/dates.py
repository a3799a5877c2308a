"""PlentyONE timestamps: written as W3C/ISO 8601 with an offset, read back in the forms its filters accept.

Filters take unix timestamps, ISO 8601 date-times (with or without offset, UTC assumed), plain dates and a few
`strtotime` words ("now", "today", "yesterday"). `updatedBetween` is "from[,to]".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class DateFilterError(ValueError):
    """The filter value is not a date PlentyONE would understand."""


def iso(ts: float) -> str:
    """Epoch seconds -> ``2024-05-01T10:00:00+00:00`` (PlentyONE's answer format)."""
    return datetime.fromtimestamp(int(ts), UTC).isoformat(timespec="seconds")


def parse_point(value: str) -> float:
    """One filter value -> epoch seconds."""
    text = value.strip()
    if not text:
        raise DateFilterError("empty date")
    if text.lstrip("-").isdigit():
        return float(int(text))
    words = {"now": 0, "today": 0, "yesterday": 1}
    if text.lower() in words:
        now = datetime.now(UTC)
        if text.lower() != "now":
            now = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=words[text.lower()])
        return now.timestamp()
    candidate = text.replace(" ", "T", 1).replace("Z", "+00:00")
    # a '+' in a query string arrives as a space when the client did not encode it: "…T10:00:00 02:00"
    if len(candidate) > 19 and candidate[19] == " ":
        candidate = candidate[:19] + "+" + candidate[20:]
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        try:
            parsed = datetime.strptime(text, "%m/%d/%Y")
        except ValueError as exc:
            raise DateFilterError(f"invalid date {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def parse_between(value: str) -> tuple[float, float | None]:
    """``from[,to]`` -> (from, to or None)."""
    start, _, end = value.partition(",")
    return parse_point(start), (parse_point(end) if end.strip() else None)
