"""Baseline: the store as release 0.1.0 created it (``schema_version`` 1), before Alembic.

A new store never runs this: it gets the latest tables from ``schema.py`` and is stamped with the head revision.
A store of release 0.1.0 (no Alembic version table, ``schema_version`` 1) is stamped with this revision and
upgraded from here. Every later revision carries explicit DDL (``op.*``) from the shape before it.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing: revision 0001 is the shape schema_version 1 stands for."""


def downgrade() -> None:
    raise NotImplementedError("the state store is never downgraded: restore a backup instead")
