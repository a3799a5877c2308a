"""`python -m sandbox serve`: ports from the environment, --only, a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import requests

from tests.sandbox.conftest import INCLUDE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_uses_the_port_from_the_environment_and_stops_on_sigterm() -> None:
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(INCLUDE), SANDBOX_MAGENTO_PORT=str(port))
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--only", "magento", "--scale", "tiny",
                                "--seed", "3"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1).json()
                break
            except requests.RequestException:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        assert health == {"status": "ok", "system": "magento", "seed": 3, "scale": "tiny"}
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_unknown_system_is_refused() -> None:
    env = dict(os.environ, PYTHONPATH=str(INCLUDE))
    result = subprocess.run([sys.executable, "-m", "sandbox", "serve", "--only", "shopify"], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "invalid choice" in result.stderr
