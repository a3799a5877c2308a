"""What a connector raises: transient (try later) or terminal (this record is wrong), never a bare HTTP error.

The engine decides per class: transient -> retry later, `UncertainWriteError` -> look the record up by its
natural key before creating it again, terminal -> a failed entry for that record, `RateBudgetExhausted` -> stop
the run cleanly and resume on the next one.
"""

from __future__ import annotations


class ConnectorError(Exception):
    """A call to an external system failed. ``detail`` is the vendor's answer, masked and truncated."""

    def __init__(self, message: str, *, system: str, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.system = system
        self.status = status
        self.detail = detail

    @property
    def reason(self) -> str:
        """What failed, without the system's name in front: the part a longer message is composed from."""
        return str(self).removeprefix(f"{self.system}: ")


class TransientError(ConnectorError):
    """5xx, timeouts, connection errors, 429 after the retries: the same call may work later."""


class UncertainWriteError(TransientError):
    """A non-idempotent write failed in a way that may have applied it: look it up before sending it again.

    ``settle_seconds``: after a timeout the server may still be working on the write; a lookup before then
    could miss it and a second create would duplicate it, so wait this long first.
    """

    def __init__(
        self, message: str, *, system: str, status: int | None = None, detail: str = "", settle_seconds: float = 0.0
    ) -> None:
        super().__init__(message, system=system, status=status, detail=detail)
        self.settle_seconds = settle_seconds


class TerminalError(ConnectorError):
    """The system refused the call (4xx validation etc.): terminal for that record, not for the batch."""


class NotFoundError(TerminalError):
    """404: the resource does not exist."""


class AuthenticationError(TerminalError):
    """Bad credentials or a revoked refresh token: the message names the Airflow connection to fix.

    ``reason`` is the refusal without that advice: the connection form's Test button shows it as it is, since
    the connection it would name there is Airflow's temporary copy of the form, not one the user can fix.
    """

    def __init__(
        self, refusal: str, *, system: str, conn_id: str, status: int | None = 401, detail: str = ""
    ) -> None:
        self.refusal = refusal.rstrip(". ")
        super().__init__(
            f"{system}: {self.refusal}. Fix the Airflow connection '{conn_id}'.",
            system=system,
            status=status,
            detail=detail,
        )

    @property
    def reason(self) -> str:
        return self.refusal


class RateBudgetExhausted(ConnectorError):
    """The long-period call budget is spent: stop cleanly and resume on the next run."""
