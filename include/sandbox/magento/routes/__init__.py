"""Magento vendor routes, one module per API area; each exposes its `router` (`sandbox.magento.app` includes them)."""
