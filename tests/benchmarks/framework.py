"""What every benchmark returns, and what the runner gives it: rows of figures set against a goal.

Benchmarks never assert times: a missed goal is a row that says "no", with the figures beside it.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Direction = Literal["<=", ">="]
# quick: make bench-quick (small sizes, < 3 minutes); full: make bench (issue 9's sizes where they fit in
# about 20 minutes); long: make bench-long (the original sizes, for the benchmarks that have them)
Mode = Literal["quick", "full", "long"]
_COMPARE: dict[Direction, Callable[[float, float], bool]] = {"<=": operator.le, ">=": operator.ge}


@dataclass(frozen=True)
class Figure:
    """One measured value with its unit, e.g. a median of several repetitions."""

    value: float
    unit: str
    samples: tuple[float, ...] = ()

    def __str__(self) -> str:
        spread = (
            f" ({min(self.samples):.3g}–{max(self.samples):.3g}, n={len(self.samples)})"
            if self.samples
            else ""
        )
        return f"{self.value:.3g} {self.unit}{spread}"


@dataclass(frozen=True)
class Goal:
    """``ratio <direction> target``; ``text`` says what the ratio means and where the goal comes from."""

    direction: Direction
    target: float
    text: str

    def met_by(self, ratio: float) -> bool:
        return _COMPARE[self.direction](ratio, self.target)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Row:
    """One line of the results table. No figures means "not measured yet", never a made-up number."""

    name: str
    project: Figure | None = None
    baseline: Figure | None = None
    ratio: float | None = None
    goal: Goal | None = None
    note: str = ""

    @property
    def measured(self) -> bool:
        return self.project is not None

    @property
    def met(self) -> bool | None:
        if self.goal is None or self.ratio is None:
            return None
        return self.goal.met_by(self.ratio)

    @classmethod
    def not_measured(cls, name: str, goal: str, note: str = "not measured yet") -> Row:
        return cls(name=name, goal=Goal("<=", float("nan"), goal), note=note)


@dataclass
class BenchResult:
    """What one benchmark hands back: table rows, charts written, and notes for the report."""

    rows: list[Row] = field(default_factory=list)
    charts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BenchContext:
    """What the runner gives each benchmark."""

    mode: Mode
    root: Path  # the project root (the working directory of `make bench`)
    results_dir: Path  # bench/results/: charts, raw samples, profiles
    work_dir: Path  # a temporary folder of this run, removed afterwards
    log: Callable[[str], None]

    @property
    def quick(self) -> bool:
        return self.mode == "quick"

    @property
    def long(self) -> bool:
        return self.mode == "long"


def busy_note(label: str, loads: list[float]) -> str | None:
    """A warning when the machine was busy with other work while ``label`` was measured (1-minute load
    averages taken after each measurement): its wall-clock figures are then less trustworthy."""
    cpus = os.cpu_count() or 1
    busiest = max(loads, default=0.0)
    if busiest <= cpus:
        return None
    return (
        f"{label}: NOISY: the machine was busy with other work while this was measured (1-minute load up to "
        f"{busiest:.1f} on {cpus} CPUs); trust these ratios less, rerun when idle."
    )
