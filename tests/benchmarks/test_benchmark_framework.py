"""The benchmark framework itself: goals judge ratios the right way round, and nothing unmeasured gets a number."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from tests.benchmarks.bare_client import concurrent_pages, install_capture, load_capture, replay
from tests.benchmarks.framework import BenchResult, Figure, Goal, Row
from tests.benchmarks.profiling import shares, summary
from tests.benchmarks.report import NOT_MEASURED, markdown


def test_a_goal_judges_its_ratio_in_its_own_direction() -> None:
    at_most = Goal("<=", 1.5, "project / floor <= 1.5")
    at_least = Goal(">=", 4.0, "dag-factory / project >= 4")
    assert at_most.met_by(1.5) and not at_most.met_by(1.51)
    assert at_least.met_by(4.0) and not at_least.met_by(3.99)
    row = Row("x", Figure(2.0, "s"), Figure(1.0, "s"), 2.0, at_most)
    assert row.met is False


def test_rows_not_measured_show_no_number(tmp_path: Path) -> None:
    rows = [
        Row.not_measured("Order Export: engine vs bare client", "engine / bare >= 0.8"),
        Row.not_measured("Fetch: hook vs dlt", "hook / dlt >= 4", "dlt not installed"),
    ]
    table = markdown([("t", _result(*rows))], "quick", 0.0)
    lines = [
        line
        for line in table.splitlines()
        if line.startswith("| ") and "benchmark |" not in line and "---" not in line
    ]
    assert len(lines) == len(rows)
    for line in lines:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[1] == cells[2] == NOT_MEASURED
        assert cells[3] == "—"
        assert cells[5].startswith("—")


def test_a_missed_goal_is_marked_in_the_table() -> None:
    row = Row("parse", Figure(3.0, "s", (3.0, 3.2)), Figure(1.0, "s"), 3.0, Goal("<=", 1.5, "<= 1.5"))
    table = markdown([("t", _result(row))], "quick", 1.0)
    line = next(line for line in table.splitlines() if line.startswith("| parse"))
    assert "3.00x" in line and "**NO**" in line and re.search(r"3 s \(3–3\.2, n=2\)", line)


def _result(*rows: Row) -> BenchResult:
    return BenchResult(rows=list(rows))


# --- the bare client: the limit of the throughput benchmarks -------------------------------------------------
class _Server(ThreadingHTTPServer):
    """Answers every request; logs in with POST /rest/login; remembers what it received."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, str, str | None]] = []
        self.token = "server-token-1"
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        self.server.received.append((self.command, self.path, body, self.headers.get("Authorization")))
        data = {"access_token": self.server.token} if self.path == "/rest/login" else {"ok": True}
        payload = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    served = _Server()
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


def test_the_bare_client_replays_the_captured_requests_once_each_with_its_own_login(
    server: _Server, tmp_path: Path
) -> None:
    stop = install_capture(tmp_path / "capture")
    try:
        session = requests.Session()
        session.post(f"{server.base}/rest/login", json={"username": "u", "password": "p"})
        session.get(f"{server.base}/rest/orders", params={"page": 2, "itemsPerPage": 100}, headers=_AUTH)
        with ThreadPoolExecutor(max_workers=2) as pool:  # sent from threads, as the hook's page pool does
            list(pool.map(lambda n: requests.put(f"{server.base}/rest/orders/{n}", json={"n": n}, headers=_AUTH), [1, 2]))
        session.post(f"{server.base}/rest/orders", json={"typeId": 1}, headers=_AUTH)
    finally:
        stop()
    calls = load_capture(tmp_path / "capture")
    assert [c.login for c in calls] == [True, False, False, False, False]
    sent = {(method, path, body) for method, path, body, _ in server.received}
    server.received.clear()
    server.token = "server-token-2"  # the sandbox forgets the engine's tokens on reset

    result = replay(calls, concurrency=3)

    assert result.requests == len(calls) == len(server.received) == 5
    assert result.statuses == {200: 5}
    assert {(method, path, body) for method, path, body, _ in server.received} == sent
    logins = [r for r in server.received if r[1] == "/rest/login"]
    assert len(logins) == 1 and server.received[0] == logins[0]  # logged in once, before anything else
    assert all(auth == "Bearer server-token-2" for _, path, _, auth in server.received if path != "/rest/login")


def test_the_bare_page_reader_reads_every_page_once(server: _Server) -> None:
    session = requests.Session()
    read = concurrent_pages(session, f"{server.base}/rest/orders", {"itemsPerPage": 100}, range(2, 12), 4)
    pages = sorted(int(path.split("page=")[1].split("&")[0]) for _, path, _, _ in server.received)
    assert read == 10 and pages == list(range(2, 12))


_AUTH = {"Authorization": "Bearer engine-token"}


def test_a_profile_is_summed_by_step_outermost_frames_only() -> None:
    def frame(function: str, path: str, seconds: float, *children: SimpleNamespace) -> SimpleNamespace:
        return SimpleNamespace(function=function, file_path=path, time=seconds, children=list(children))

    request = frame("request", "/site-packages/requests/sessions.py", 0.5, frame("request", "/requests/x.py", 0.4))
    state = frame("_write", "/plugins/profile_sync/state/store.py", 0.3)
    root = frame("main", "/probe.py", 1.0, frame("push", "/profile_sync/engine/push.py", 1.0, request, state))
    profiler = SimpleNamespace(last_session=SimpleNamespace(duration=1.0, root_frame=lambda: root))

    found = shares(profiler, {"requests": ("/requests/", "request"), "state": ("profile_sync/state/", None)}, "rest")

    assert found == pytest.approx({"requests": 0.5, "state": 0.3, "rest": 0.2})  # the nested request not twice
    assert summary(found) == "requests 50%, state 30%, rest 20%"


def test_the_long_run_runs_the_issues_sizes_and_only_the_benchmarks_that_have_them() -> None:
    from tests.benchmarks import memory, sync_throughput
    from tests.benchmarks.registry import BENCHMARKS

    assert {benchmark.key for benchmark in BENCHMARKS if benchmark.long} == {"sync_throughput", "memory"}
    counts = {case.profile: case.counts for case in sync_throughput.cases("long")}
    assert counts["order_export_plenty"]["orders"] > sync_throughput.ISSUE_SIZES["order_export_plenty"]
    assert counts["stock_import_plenty"]["products"] * 1.65 > sync_throughput.ISSUE_SIZES["stock_import_plenty"]  # 1.65 rows a product
    assert not any(case.airflow for case in sync_throughput.cases("long"))
    assert memory.COUNTS["long"][0] == 2_000 and memory.COUNTS["long"][-1] == 200_000
