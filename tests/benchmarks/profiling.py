"""Where a profiled run's time went: pyinstrument's call tree summed by step (a missed goal's hot path)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# step -> (file path fragment, function name or None for any function in that file)
Steps = Mapping[str, tuple[str, str | None]]


def time_in(frame: Any, where: str, function: str | None = None) -> float:
    """Seconds under the outermost frames in a file whose path holds ``where`` (and named ``function``)."""
    if frame is None:
        return 0.0
    if where in (frame.file_path or "") and (function is None or frame.function == function):
        return float(frame.time)
    return sum(time_in(child, where, function) for child in frame.children)


def shares(profiler: Any, steps: Steps, rest: str) -> dict[str, float]:
    """Each step's share of the profiled time; what no step covers is ``rest``."""
    session = profiler.last_session
    total = session.duration if session else 0.0
    if not total:
        return {}
    root = session.root_frame()
    seconds = {name: time_in(root, where, function) for name, (where, function) in steps.items()}
    seconds[rest] = max(total - sum(seconds.values()), 0.0)
    return {name: value / total for name, value in seconds.items()}


def summary(found: Mapping[str, float]) -> str:
    return ", ".join(f"{name} {share:.0%}" for name, share in sorted(found.items(), key=lambda kv: -kv[1]))
