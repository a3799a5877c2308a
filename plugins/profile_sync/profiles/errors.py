"""Profile errors a person can act on: file, line, field, what was given, what is allowed, a suggestion."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProfileError:
    file: Path
    message: str
    field: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    given: str | None = None
    allowed: str | None = None
    suggestion: str | None = None
    excerpt: str | None = None

    def format(self, root: Path | None = None) -> str:
        """One error as a person reads it: ``file:line:col: field: message`` plus the lines around."""
        where = _relative(self.file, root)
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        head = f"{where}: " + (f"{self.field}: " if self.field else "") + self.message
        parts = [head]
        if self.given is not None:
            parts.append(f"  given: {self.given}")
        if self.allowed:
            parts.append(f"  allowed: {self.allowed}")
        if self.suggestion:
            parts.append(f"  did you mean {self.suggestion!r}?")
        if self.excerpt:
            parts.append(self.excerpt)
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.format()


class ProfileErrors(Exception):
    """Raised where a caller wants the errors as an exception (the validation DAG file, the CLI)."""

    def __init__(self, errors: Iterable[ProfileError], root: Path | None = None) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        body = "\n\n".join(error.format(root) for error in self.errors)
        super().__init__(f"{count} profile error{'s' if count != 1 else ''}:\n\n{body}")


def closest(given: object, allowed: Iterable[str]) -> str | None:
    """The allowed value closest to what was given, if any is close enough to be a likely typo."""
    if not isinstance(given, str):
        return None
    matches = difflib.get_close_matches(given, list(allowed), n=1, cutoff=0.6)
    return matches[0] if matches else None


def excerpt(lines: list[str], line: int, context: int = 1) -> str:
    """The numbered lines around ``line`` (1-based) with the offending one marked."""
    start, end = max(1, line - context), min(len(lines), line + context)
    width = len(str(end))
    return "\n".join(
        f"  {'>' if number == line else ' '} {number:>{width}} | {lines[number - 1]}"
        for number in range(start, end + 1)
    )


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)
