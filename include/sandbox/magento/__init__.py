"""The Magento 2 admin REST API emulator (``build_app`` in `sandbox.magento.app`)."""
