"""``python -m sandbox serve [--only magento ...] [--seed N] [--scale NAME]``: the emulated APIs in one process.

Also ``python -m sandbox bench`` (page reads per second of one server; see `sandbox.bench`).
Ports come from SANDBOX_MAGENTO_PORT / SANDBOX_PLENTY_PORT / SANDBOX_FREEAGENT_PORT (8081/8082/8083),
the host from SANDBOX_HOST (127.0.0.1). A port of 0 picks a free one; the chosen ports are printed as
``sandbox <system> listening on http://host:port`` lines.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import os
import signal
import socket
import sys
from collections.abc import Sequence

import uvicorn

from sandbox import DEFAULT_PORTS, SYSTEMS
from sandbox.core.settings import SandboxSettings


def available_systems() -> list[str]:
    """The systems whose package (with `app.build_app`) is present."""
    found = []
    for system in SYSTEMS:
        try:
            module = importlib.import_module(f"sandbox.{system}.app")
        except ModuleNotFoundError as exc:
            if exc.name and (exc.name == f"sandbox.{system}" or exc.name.startswith(f"sandbox.{system}.app")):
                continue
            raise
        if hasattr(module, "build_app"):
            found.append(system)
    return found


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signal handling to us (several servers share one loop)."""

    def capture_signals(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


async def serve(systems: Sequence[str], seed: int, scale: str, host: str, ports: dict[str, int],
                log_level: str = "warning") -> None:
    """Build each system's app, bind its port and serve until SIGINT/SIGTERM."""
    servers: list[tuple[_Server, socket.socket]] = []
    for system in systems:
        sock = _bind(host, ports[system])
        port = sock.getsockname()[1]
        # SANDBOX_REQUEST_LOG_SIZE: how many requests each server remembers for /_sandbox/requests (2,000)
        log_size = int(os.environ.get("SANDBOX_REQUEST_LOG_SIZE") or 2000)
        settings = SandboxSettings(seed=seed, scale=scale, host=host, port=port, request_log_size=log_size)
        app = importlib.import_module(f"sandbox.{system}.app").build_app(settings)
        config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off",
                                timeout_keep_alive=30, timeout_graceful_shutdown=2)
        servers.append((_Server(config), sock))
        print(f"sandbox {system} listening on http://{host}:{port}", flush=True)
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server, _ in servers:
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    print("sandbox ready", flush=True)
    await asyncio.gather(*(server.serve(sockets=[sock]) for server, sock in servers))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="serve the emulated APIs")
    run.add_argument("--only", action="append", choices=SYSTEMS, help="serve only this system (repeatable)")
    run.add_argument("--seed", type=int, default=int(os.environ.get("SANDBOX_SEED", "1")))
    run.add_argument("--scale", default=os.environ.get("SANDBOX_SCALE", "small"))
    run.add_argument("--host", default=os.environ.get("SANDBOX_HOST", "127.0.0.1"))
    run.add_argument("--log-level", default="warning")
    bench = sub.add_parser("bench", help="measure page reads per second of one Magento server")
    bench.add_argument("--seconds", type=float, default=5.0)
    bench.add_argument("--clients", type=int, default=4)
    bench.add_argument("--scale", default="default")
    args = parser.parse_args(argv)

    if args.command == "bench":
        from sandbox.bench import run_bench

        return run_bench(seconds=args.seconds, clients=args.clients, scale=args.scale)

    present = available_systems()
    wanted = args.only or present
    missing = [s for s in wanted if s not in present]
    if missing:
        print(f"not available: {', '.join(missing)} (packages present: {', '.join(present) or 'none'})",
              file=sys.stderr)
        return 2
    ports = {s: int(os.environ.get(f"SANDBOX_{s.upper()}_PORT", DEFAULT_PORTS[s])) for s in SYSTEMS}
    try:
        import uvloop  # noqa: F401  (faster loop when present)

        runner = uvloop.run
    except ImportError:  # pragma: no cover
        runner = asyncio.run
    runner(serve(wanted, args.seed, args.scale, args.host, ports, args.log_level))
    return 0


if __name__ == "__main__":
    sys.exit(main())
