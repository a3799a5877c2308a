"""Task bodies for the dag-factory baseline, importable by dotted path as its YAML requires.

Thin like the project's: the work is not what the parse benchmark measures.
"""

from __future__ import annotations

from typing import Any


def fetch() -> list[dict[str, Any]]:
    return []


def transform(chunk: dict[str, Any]) -> dict[str, Any]:
    return chunk


def push(chunk: dict[str, Any]) -> dict[str, Any]:
    return chunk


def finish(pushed: list[dict[str, Any]]) -> dict[str, Any]:
    return {"batches": len(list(pushed))}
