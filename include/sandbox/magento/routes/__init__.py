"""Magento vendor routes, one module per API area; each exposes ``register(app, state)``."""
