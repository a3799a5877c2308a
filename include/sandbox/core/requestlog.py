"""What a server received: a ring buffer of requests (secrets masked) and running counters for /_sandbox/stats."""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from typing import Any

_SECRET_HEADERS = {"authorization", "cookie", "x-api-key", "proxy-authorization"}
_BODY_LIMIT = 65536  # a bulk write (100 source items, 100 stock corrections) fits whole, for the contract check


@dataclass
class RequestEntry:
    """One request as received, with the answer's status and the fault injected (if any)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    status: int = 0
    fault: str | None = None
    duration_ms: float = 0.0
    held: int = 0  # process_then_hang: the status of the answer held back, set once the write is done
    time: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def mask_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI headers -> dict, with credentials replaced by '***' (keeping the scheme word)."""
    out: dict[str, str] = {}
    for name_b, value_b in raw:
        name = name_b.decode("latin-1").lower()
        value = value_b.decode("latin-1")
        if name in _SECRET_HEADERS:
            scheme, sep, _ = value.partition(" ")
            value = f"{scheme} ***" if sep else "***"
        out[name] = value
    return out


def body_text(body: bytes) -> str:
    """Request body for the log: text, cut at 64 KiB, passwords and secrets in forms/JSON left as sent
    only in their length (never their value)."""
    text = body[:_BODY_LIMIT].decode("utf-8", "replace")
    return _mask_secrets(text)


def _mask_secrets(text: str) -> str:
    pattern = r'("(?:password|refresh_token|client_secret|access_token)"\s*:\s*")[^"]*(")'
    text = re.sub(pattern, r"\1***\2", text)
    return re.sub(r"((?:password|refresh_token|client_secret)=)[^&]*", r"\1***", text)


class RequestLog:
    """Ring buffer of the last `capacity` requests plus counters that survive the buffer's wrap."""

    def __init__(self, capacity: int = 2000) -> None:
        self._entries: deque[RequestEntry] = deque(maxlen=capacity)
        self.total = 0
        self.by_status: Counter[int] = Counter()
        self.faults: Counter[str] = Counter()
        # "GET /rest/items/{id}": how many requests each route took, by its template (the raw path when no route
        # matched, as for a fault answered before routing). Benchmarks count requests per record from it.
        self.by_route: Counter[str] = Counter()

    def add(self, entry: RequestEntry) -> None:
        self._entries.append(entry)
        self.total += 1

    def hold(self, entry: RequestEntry, status: int) -> None:
        """The write of an entry added earlier is done and its answer (``status``) is held back: the log shows it
        before the answer goes (``status`` stays 0 until then), so that a test can act while the client waits."""
        entry.held = status

    def finish(self, entry: RequestEntry, status: int, fault: str | None = None, route: str | None = None) -> None:
        """Record the outcome of an entry added earlier (``route``: the template of the route that answered)."""
        entry.status = status
        self.by_route[f"{entry.method} {route or entry.path}"] += 1
        entry.duration_ms = round((time.time() - entry.time) * 1000, 3)
        if fault:
            entry.fault = fault
            self.faults[fault] += 1
        self.by_status[status] += 1

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        """The last `limit` requests, oldest first."""
        items = list(self._entries)[-limit:] if limit > 0 else []
        return [e.to_dict() for e in items]

    def clear(self) -> None:
        self._entries.clear()
        self.total = 0
        self.by_status.clear()
        self.faults.clear()
        self.by_route.clear()

    def stats(self) -> dict[str, Any]:
        return {"requests": self.total, "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
                "faults_injected": dict(sorted(self.faults.items())),
                "by_route": dict(sorted(self.by_route.items()))}
