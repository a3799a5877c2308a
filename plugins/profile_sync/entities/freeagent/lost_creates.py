"""FreeAgent creates whose answer was lost (a timeout, a 5xx on a POST): when the first of them was sent, so that
the lookup that follows asks FreeAgent only for what changed since (its lists take ``updated_since`` or sort
newest first), never for the whole list again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from profile_sync.connectors.errors import UncertainWriteError

CLOCK_MARGIN = timedelta(minutes=10)  # our clock against FreeAgent's, when asking what changed since a create


class LostCreates:
    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self.since: datetime | None = None  # the earliest lost create's send time, less the margin (None: none)

    @contextmanager
    def watched(self) -> Iterator[None]:
        """Around a create's POST: a lost answer (UncertainWriteError) records when it was sent, and goes on."""
        started = self._clock() - CLOCK_MARGIN
        try:
            yield
        except UncertainWriteError:
            if self.since is None or started < self.since:
                self.since = started
            raise

    def take(self) -> datetime | None:
        """The time to look from, once: a later lookup needs a later lost answer."""
        since, self.since = self.since, None
        return since
