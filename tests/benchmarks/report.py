"""The results table in Markdown: every figure next to its goal, unmeasured rows said plainly."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from tests.benchmarks.framework import BenchResult, Row

NOT_MEASURED = "not measured yet"
_HEADER = "| benchmark | project | baseline | ratio | goal | met? |\n| --- | --- | --- | --- | --- | --- |"


def markdown(sections: Sequence[tuple[str, BenchResult]], mode: str, elapsed_s: float) -> str:
    rows = [row for _, result in sections for row in result.rows]
    lines = [
        "# Benchmark results",
        "",
        f"{_machine()}; mode `{mode}`; {elapsed_s:.0f} s in all. Figures are medians of several runs "
        "(range and n in brackets); judge by the ratios.",
        "",
        _HEADER,
        *(_line(row) for row in rows),
        "",
    ]
    for title, result in sections:
        if result.notes or result.charts:
            lines += [f"## {title}", ""]
            lines += [f"- {note}" for note in result.notes]
            lines += [f"- chart: `{chart.name}`" for chart in result.charts]
            lines.append("")
    return "\n".join(lines)


def _line(row: Row) -> str:
    if not row.measured:
        return f"| {row.name} | {NOT_MEASURED} | {NOT_MEASURED} | — | {row.goal or '—'} | — ({row.note}) |"
    met = {True: "yes", False: "**NO**", None: "—"}[row.met]
    ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "—"
    note = f" ({row.note})" if row.note else ""
    return (
        f"| {row.name} | {row.project} | {row.baseline or '—'} | {ratio} | {row.goal or '—'} | {met}{note} |"
    )


def _machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs (load {load}), "
        f"Python {platform.python_version()}, Airflow {_version('apache-airflow')}, "
        f"dag-factory {_version('dag-factory')}"
    )


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"
