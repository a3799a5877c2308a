"""Progress lines for long fetches and pushes: every ``log.progress_seconds``, records so far, their rate and the
time spent waiting for the rate budget, so that a long run's log says it is alive and where the time goes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def budget_wait_of(entity: Any) -> Callable[[], float]:
    """Seconds the entity's hooks have waited for their rate budgets so far (0 when it has none)."""

    def waited() -> float:
        systems = getattr(entity, "systems", None)
        opened = systems.opened() if systems is not None and hasattr(systems, "opened") else {}
        return sum(getattr(getattr(hook, "call_stats", None), "budget_wait_seconds", 0.0) for hook in opened.values())

    return waited


class Progress:
    """Counts records and logs one line when ``every_seconds`` have passed since the last one."""

    def __init__(
        self,
        stage: str,
        every_seconds: float,
        budget_wait: Callable[[], float] = lambda: 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stage, self.every, self.budget_wait, self.clock = stage, every_seconds, budget_wait, clock
        self.started = self.last = clock()
        self.count = 0

    def add(self, records: int = 1) -> None:
        self.count += records
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            elapsed = max(now - self.started, 1e-9)
            log.info(
                "%s progress: %d records so far, %.1f records/s, %.1f s waiting for the rate budget",
                self.stage,
                self.count,
                self.count / elapsed,
                self.budget_wait(),
            )
