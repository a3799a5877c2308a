"""API emulators of Magento 2, PlentyONE and FreeAgent for the demo, the tests and the benchmarks.

Each system lives in its own package (`sandbox.magento`, `sandbox.plenty`, `sandbox.freeagent`) exposing
``build_app(settings: SandboxSettings) -> FastAPI``; `sandbox.core` holds what they share and `sandbox.world`
the deterministic business they all serve. Start them with ``python -m sandbox serve``.
"""

SYSTEMS: tuple[str, ...] = ("magento", "plenty", "freeagent")
DEFAULT_PORTS: dict[str, int] = {"magento": 8081, "plenty": 8082, "freeagent": 8083}
