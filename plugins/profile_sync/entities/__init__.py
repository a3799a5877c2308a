"""Profile types: what each reads, how it maps a record and how it writes it (``base.EntitySync``); the engine
runs them. ``plenty/`` and ``freeagent/`` by profile system, ``shop/`` the Magento side they share, ``registry`` the
one table of types."""
