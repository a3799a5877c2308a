"""Request/response logging that follows the profile's two switches and never shows a secret.

Secrets are masked twice: registered with Airflow's secrets masker (so that nothing else in the task log shows
them either) and scrubbed here, by value and by key, before anything is logged.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
SENSITIVE_KEY = re.compile(
    r"pass(word|wd)?|secret|token|authori[sz]ation|api[-_]?key|credential|cookie|private[-_]?key",
    re.IGNORECASE,
)
# "key": "value" pairs inside JSON text (or a truncated JSON text) whose key looks sensitive.
_JSON_PAIR = re.compile(r'("(?:[^"\\]|\\.)*"\s*:\s*)("(?:[^"\\]|\\.)*"?)')
_MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words


def _register_with_airflow(secret: str) -> None:
    try:
        from airflow.sdk.log import mask_secret
    except ImportError:  # pragma: no cover - older Airflow
        try:
            from airflow.utils.log.secrets_masker import mask_secret  # type: ignore[no-redef]
        except ImportError:
            return
    # Masking must never break a request; we scrub what we log ourselves anyway.
    with contextlib.suppress(Exception):
        mask_secret(secret)


class SecretScrubber:
    """The secrets a hook knows (passwords, tokens) and the means to remove them from text and data."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < _MIN_SECRET_LENGTH:
            return
        with self._lock:
            if secret in self._secrets:
                return
            self._secrets.add(secret)
        _register_with_airflow(secret)

    def text(self, text: str) -> str:
        """``text`` with every known secret and every sensitive JSON "key": "value" masked."""
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return _JSON_PAIR.sub(_mask_pair, text)

    def data(self, value: Any) -> Any:
        """A copy of ``value`` (JSON-like) with sensitive keys and known secrets masked."""
        if isinstance(value, dict):
            return {
                k: MASK if isinstance(k, str) and SENSITIVE_KEY.search(k) else self.data(v)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.data(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def url(self, url: str) -> str:
        """``url`` with sensitive query parameters and user info masked."""
        parts = urlsplit(url)
        query = urlencode(
            [
                (k, MASK if SENSITIVE_KEY.search(k) else v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
            ]
        )
        netloc = parts.netloc.rsplit("@", 1)[-1]
        return self.text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


def _mask_pair(match: re.Match[str]) -> str:
    key = match.group(1)
    return f'{key}"{MASK}"' if SENSITIVE_KEY.search(key.split(":", 1)[0]) else match.group(0)


class RequestLogger:
    """Logs each call: a summary line at DEBUG always; bodies at INFO only when the switches say so."""

    def __init__(
        self,
        system: str,
        scrubber: SecretScrubber,
        *,
        log_request_data: bool = False,
        log_response_data: bool = False,
        max_body_chars: int = 2000,
        logger: logging.Logger | None = None,
    ) -> None:
        self.system = system
        self.scrubber = scrubber
        self.log_request_data = log_request_data
        self.log_response_data = log_response_data
        self.max_body_chars = max_body_chars
        self.logger = logger or logging.getLogger(f"profile_sync.connectors.{system}")

    def request(self, method: str, url: str, body: Any, *, sensitive: bool = False) -> None:
        if not self.log_request_data:
            return
        shown = "(credentials, not logged)" if sensitive else self._body(body)
        self.logger.info("%s request %s %s body=%s", self.system, method, self.scrubber.url(url), shown)

    def response(
        self, method: str, url: str, status: int, elapsed: float, text: str | None, *, sensitive: bool = False
    ) -> None:
        if not self.log_response_data and not self.logger.isEnabledFor(logging.DEBUG):
            return  # the common case: nothing to log, nothing to scrub
        safe_url = self.scrubber.url(url)
        self.logger.debug("%s %s %s -> %s in %.0f ms", self.system, method, safe_url, status, elapsed * 1000)
        if not self.log_response_data:
            return
        shown = "(credentials, not logged)" if sensitive else self._text(text or "")
        self.logger.info("%s response %s %s -> %s body=%s", self.system, method, safe_url, status, shown)

    def failure(self, method: str, url: str, reason: str) -> None:
        self.logger.debug(
            "%s %s %s failed: %s", self.system, method, self.scrubber.url(url), self.scrubber.text(reason)
        )

    def _body(self, body: Any) -> str:
        if body is None:
            return "-"
        if isinstance(body, dict | list):
            return self._truncate(json.dumps(self.scrubber.data(body), ensure_ascii=False, default=str))
        return self._text(str(body))

    def _text(self, text: str) -> str:
        # Scrub before the final cut (a cut could split a secret); a generous first cut keeps huge pages cheap.
        cut = text[: self.max_body_chars * 2 + 4096]
        scrubbed = self.scrubber.text(cut)
        if len(scrubbed) <= self.max_body_chars and len(cut) == len(text):
            return scrubbed
        return f"{scrubbed[: self.max_body_chars]}... ({len(text)} chars)"

    def _truncate(self, text: str) -> str:
        if len(text) <= self.max_body_chars:
            return text
        return f"{text[: self.max_body_chars]}... ({len(text)} chars)"
