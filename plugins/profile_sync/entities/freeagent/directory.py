"""FreeAgent contacts by e-mail: FreeAgent has no e-mail filter and no upsert, so a task reads the contact list
once (every view, hidden ones too) and keeps an e-mail -> url index that its own creates extend.

A create whose answer was lost is looked up among the contacts changed since just before it was sent
(``updated_since``), never by re-reading the whole list.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from profile_sync.connectors.errors import RateBudgetExhausted, TransientError
from profile_sync.entities.base import create_or_find
from profile_sync.entities.emails import normalise_email
from profile_sync.entities.freeagent.lost_creates import LostCreates
from profile_sync.entities.systems import Systems
from profile_sync.entities.timestamps import iso_timestamp

log = logging.getLogger(__name__)
CONTACTS = "/v2/contacts"


def contact_directory(systems: Systems) -> ContactDirectory:
    """The task's FreeAgent contacts by e-mail, read once however many parts of the task ask."""
    return systems.reference(ContactDirectory, lambda: ContactDirectory(systems.freeagent, systems.collection_size))


class ContactDirectory:
    def __init__(self, freeagent: Any, page_size: int = 100, clock: Callable[[], datetime] | None = None) -> None:
        self._freeagent = freeagent
        self._page_size = page_size
        self._by_email: dict[str, str] | None = None
        self._lost = LostCreates(clock)
        self._created: set[str] = set()  # contacts this task created: nothing else can refer to them yet

    def _index(self) -> dict[str, str]:
        if self._by_email is None:
            index: dict[str, str] = {}
            self._read_into(index, {"view": "all", "sort": "created_at"})
            self._by_email = index
            log.info("FreeAgent contacts read: %d with an e-mail", len(index))
        return self._by_email

    def _read_into(self, index: dict[str, str], params: dict[str, Any]) -> None:
        for page in self._freeagent.paginate(CONTACTS, params=params, page_size=self._page_size):
            for contact in page:
                email = normalise_email(contact.get("email"))
                if email and contact.get("url"):
                    index.setdefault(email, str(contact["url"]))  # the oldest contact of an e-mail wins

    def find(self, email: str) -> str | None:
        """The url of the contact with this e-mail, or None."""
        email = normalise_email(email)
        index = self._index()
        if email not in index and (since := self._lost.take()) is not None:
            recent: dict[str, str] = {}
            self._read_into(recent, {"view": "all", "updated_since": iso_timestamp(since), "sort": "created_at"})
            for key, url in recent.items():
                index.setdefault(key, url)
        return index.get(email)

    def create(self, payload: dict[str, Any]) -> str:
        """POST a new contact (FreeAgent always creates); returns its url."""
        with self._lost.watched():
            created = self._freeagent.post(CONTACTS, json={"contact": payload})
        url = str(created["contact"]["url"])
        self.remember(payload.get("email"), url)
        self._created.add(url)
        return url

    def created_here(self, url: str) -> bool:
        return url in self._created

    def forget_created(self, url: str) -> None:
        self._created.discard(url)

    def remember(self, email: Any, url: str) -> None:
        key = normalise_email(email)
        if key:
            self._index().setdefault(key, url)

    def find_or_create(self, payload: dict[str, Any]) -> tuple[str, bool]:
        """The contact of ``payload['email']``: found, or created exactly once. Returns (url, created)."""
        found = self.find(payload["email"])
        if found:
            return found, False
        return create_or_find(lambda: self.create(payload), lambda: self.find(payload["email"]))


@contextmanager
def budget_spent_on_429() -> Iterator[None]:
    """A 429 still there after the hook waited what it may (FreeAgent's hourly window is far longer) means the
    vendor's budget is spent: stop the run cleanly, progress committed, instead of failing record after record."""
    try:
        yield
    except TransientError as exc:
        if exc.status == 429:
            raise RateBudgetExhausted(f"{exc} (budget spent: the next run resumes)", system=exc.system) from exc
        raise
