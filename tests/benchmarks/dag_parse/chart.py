"""The parse-time chart: median seconds per variant and N (bars with the range), and the ratios vs goals."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tests.benchmarks.charts import pyplot

if TYPE_CHECKING:
    from tests.benchmarks.dag_parse.benchmark import Samples


def write_chart(measured: Sequence[Samples], path: Path) -> Path:
    from tests.benchmarks.dag_parse.variants import DAG_FACTORY, DAG_FILE_ONLY, FLOOR, PROJECT

    plt = pyplot()
    from matplotlib import ticker

    names = [
        name
        for name in (FLOOR, DAG_FILE_ONLY, PROJECT, DAG_FACTORY)
        if any(name in s.seconds for s in measured)
    ]
    figure, (times, ratios) = plt.subplots(1, 2, figsize=(11, 4.2))
    width = 0.8 / len(names)
    for index, name in enumerate(names):
        xs, medians, low, high = [], [], [], []
        for position, samples in enumerate(measured):
            found = samples.figure(name)
            if found is None:
                continue
            xs.append(position + (index - (len(names) - 1) / 2) * width)
            medians.append(found.value)
            low.append(found.value - min(found.samples))
            high.append(max(found.samples) - found.value)
        times.bar(xs, medians, width, yerr=[low, high], capsize=3, label=name)
    times.set_xticks(range(len(measured)), [f"{s.count:,} profiles" for s in measured])
    times.set_ylabel("DagBag parse, CPU seconds (median, range)")
    times.set_yscale("log")
    times.yaxis.set_major_formatter(ticker.ScalarFormatter())
    times.set_title("Parse time")
    times.legend()

    labels = [f"{s.count:,}" for s in measured]
    floor_ratio = [_ratio(s, PROJECT, FLOOR) for s in measured]
    factory_ratio = [_ratio(s, DAG_FACTORY, PROJECT) for s in measured]
    ratios.plot(labels, floor_ratio, "o-", label="project / floor (goal <= 1.5, issue 2: <= 2)")
    if any(r is not None for r in factory_ratio):
        ratios.plot(labels, factory_ratio, "s-", label="dag-factory / project (goal >= 4)")
    for goal, style in ((1.5, "--"), (2.0, ":"), (4.0, "-.")):
        ratios.axhline(goal, color="grey", linestyle=style, linewidth=1)
    ratios.set_xlabel("profiles")
    ratios.set_ylabel("ratio")
    ratios.set_title("Ratios against the goals")
    ratios.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _ratio(samples: Samples, top: str, bottom: str) -> float | None:
    a, b = samples.figure(top), samples.figure(bottom)
    return a.value / b.value if a and b else None
