"""What a vendor's answer means: the human message in its error body (Magento, PlentyONE and FreeAgent shapes),
which failure class a status is, and whether a failed request surely never reached the server."""

from __future__ import annotations

from typing import Any

import requests
from urllib3.exceptions import ConnectTimeoutError

from profile_sync.connectors.errors import (
    AuthenticationError,
    ConnectorError,
    NotFoundError,
    TerminalError,
    TransientError,
    UncertainWriteError,
)

TRANSIENT_4XX = frozenset({408, 425})


def vendor_message(data: Any) -> str:
    """The human message in a vendor's error body (Magento, PlentyONE and FreeAgent shapes)."""
    if isinstance(data, str):
        return data
    if not isinstance(data, dict):
        return ""
    parts: list[str] = []
    message = data.get("message")
    if isinstance(message, str):
        parts.append(_magento_parameters(message, data.get("parameters")))
    error = data.get("error")
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        parts.append(error["message"])
    elif isinstance(error, str):
        parts.append(error + (f": {data['error_description']}" if data.get("error_description") else ""))
    errors = data.get("errors")
    if isinstance(errors, dict):
        inner = errors.get("error")
        if isinstance(inner, dict) and inner.get("message"):
            parts.append(str(inner["message"]))
    elif isinstance(errors, list):
        parts.extend(
            _magento_parameters(str(e["message"]), e.get("parameters"))
            for e in errors
            if isinstance(e, dict) and e.get("message")
        )
    validation = data.get("validation_errors")
    if isinstance(validation, dict):
        for field_name, messages in validation.items():
            text = "; ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
            parts.append(f"{field_name}: {text}")
    return " | ".join(p for p in parts if p)


def _magento_parameters(message: str, parameters: Any) -> str:
    """Magento's "%1" / "%fieldName" placeholders filled from ``parameters`` (a list or a dict; a list may hold the
    named ones as an object, as the errors of a validation exception do)."""
    if isinstance(parameters, list):
        for named in (p for p in parameters if isinstance(p, dict)):
            message = _magento_parameters(message, named)
        for index in range(len(parameters), 0, -1):  # %10 before %1
            message = message.replace(f"%{index}", str(parameters[index - 1]))
    elif isinstance(parameters, dict):
        for name in sorted(parameters, key=len, reverse=True):
            message = message.replace(f"%{name}", str(parameters[name]))
    return message


def never_sent(exc: requests.RequestException) -> bool:
    """True when the request surely did not reach the server (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.ReadTimeout):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    # urllib3's NewConnectionError (refused, unreachable, DNS) is a ConnectTimeoutError subclass.
    return isinstance(reason, ConnectTimeoutError)


def error_for_status(
    status: int, text: str, system: str, conn_id: str | None, detail: str, safe: bool
) -> ConnectorError:
    """The failure class of an HTTP error status: 429, 5xx and 408/425 transient (a 5xx to a write that is not
    safe to repeat: uncertain, it may have been applied), 401 authentication, 404 not found, the rest terminal."""
    if status == 429:
        return TransientError(text, system=system, status=status, detail=detail)
    if status >= 500 or status in TRANSIENT_4XX:
        if not safe and status >= 500:
            return UncertainWriteError(
                f"{text} (the write may have been applied)", system=system, status=status, detail=detail
            )
        return TransientError(text, system=system, status=status, detail=detail)
    if status == 401:
        return AuthenticationError(
            text.removeprefix(f"{system}: "), system=system, conn_id=conn_id, status=status, detail=detail
        )
    if status == 404:
        return NotFoundError(text, system=system, status=status, detail=detail)
    return TerminalError(text, system=system, status=status, detail=detail)
