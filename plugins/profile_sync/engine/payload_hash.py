"""A stable hash of what is sent, so an unchanged record is skipped instead of re-sent."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

_encoder = msgspec.json.Encoder(order="sorted")


def payload_hash(payload: Any) -> str:
    return hashlib.sha256(_encoder.encode(payload)).hexdigest()
