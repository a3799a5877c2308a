"""PlentyONE (plentymarkets) REST API emulator: ``sandbox.plenty.app.build_app(settings)``."""
