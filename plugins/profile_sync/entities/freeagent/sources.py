"""The FreeAgent list routes that profiles read, declared once (``entities.sources.ListSource``)."""

from __future__ import annotations

from profile_sync.entities.sources import ListSource


def contacts(include_hidden: bool) -> ListSource:
    """FreeAgent contacts, oldest change first; the hidden ones too where the profile asks for them. Every id:
    hidden ones included (a hidden contact is not gone)."""
    return ListSource(
        "/v2/contacts",
        params={"view": "all" if include_hidden else "active", "sort": "updated_at"},
        changed="updated_since",
        id_field="url",
        updated_fields=("updated_at",),
        all_params={"view": "all"},
    )


# the ids and change times of a contact, hidden or not (a type that reads the hidden ones too says so in its
# read: ``contacts(include_hidden=True)``)
CONTACTS = contacts(include_hidden=False)
