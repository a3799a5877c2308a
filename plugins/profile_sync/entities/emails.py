"""E-mail addresses as every type reads them: trimmed, lower case, and plausibly an address (one rule for all)."""

from __future__ import annotations

import re
from typing import Any

from profile_sync.entities.records import RecordError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(value: Any) -> str:
    return str(value or "").strip().lower()


def valid_email(value: Any, what: str = "e-mail") -> str:
    """The address, normalised, or a RecordError naming ``what`` it is (shown cut to 80 characters)."""
    email = normalise_email(value)
    if not EMAIL.match(email):
        raise RecordError(f"{what} {email[:80]!r} is not a valid address")
    return email
