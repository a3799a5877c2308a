"""What a hook's calls cost: requests by answer, 429s and the time spent waiting for the rate budget.

Counted per hook (one task's use of one connection), thread-safe (concurrent page reads share a hook); the engine
reports them as metrics when the task ends. Knows nothing of Airflow or of profiles.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class CallStats:
    requests: int = 0
    errors: int = 0  # no answer at all (connection refused, timeout) or a 5xx
    rate_limited: int = 0  # 429 answers
    budget_wait_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def waited(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self.budget_wait_seconds += seconds

    def answered(self, status: int | None) -> None:
        """One request sent: ``status`` is the HTTP status, None when no answer came."""
        with self._lock:
            self.requests += 1
            if status == 429:
                self.rate_limited += 1
            elif status is None or status >= 500:
                self.errors += 1
