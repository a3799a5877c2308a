"""FreeAgent API v2 emulator: ``sandbox.freeagent.app.build_app(settings)``."""
