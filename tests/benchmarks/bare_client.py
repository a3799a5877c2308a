"""The limit a sync is measured against: a bare HTTP client making the same requests, with no processing.

``install_capture(folder)`` (in the engine's process) appends every request that ``requests`` sends to
``folder/capture-<pid>.jsonl``: method, URL with its query, body. ``load_capture`` reads them back in the order
they were sent, ``replay`` sends them again from a pool of threads (plain ``requests``, one keep-alive session
per thread) and reads every answer to the end, and nothing more: no parsing, no state, no logging.

The tokens of the capture belong to the engine's run (the sandbox forgets them on reset), so the replay logs
in once per server, with the login request the capture holds, and sends every other request with its own token.
``concurrent_pages`` is the bare paginated read of issue 9 point 3 (the same page requests as a hook).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

# the token endpoints of the three systems: how the replay tells a login from the calls that need its token
LOGIN_PATHS = {
    "/rest/login": "plenty",
    "/rest/login/refresh": "plenty",
    "/rest/V1/integration/admin/token": "magento",
    "/v2/token_endpoint": "freeagent",
}


@dataclass(frozen=True)
class Call:
    """One request as the engine sent it."""

    sent: float  # time.time() when it was sent (orders calls from several processes)
    method: str
    url: str  # absolute, with the query
    body: str | None = None
    content_type: str | None = None

    @property
    def base(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def login(self) -> bool:
        return self.path in LOGIN_PATHS


@dataclass
class ReplayResult:
    seconds: float
    requests: int  # every request sent, logins included
    statuses: Counter[int] = field(default_factory=Counter)

    def share_ok(self) -> float:
        ok = sum(count for status, count in self.statuses.items() if 200 <= status < 300)
        return ok / self.requests if self.requests else 0.0


# --- capture (in the engine's process) ----------------------------------------------------------------------
def install_capture(folder: Path) -> Callable[[], None]:
    """Record every request ``requests`` sends from now on (threads and forked children included); returns
    the function that stops recording."""
    folder.mkdir(parents=True, exist_ok=True)
    original = requests.Session.send
    lock = threading.Lock()
    files: dict[int, Any] = {}

    def record(request: requests.PreparedRequest) -> None:
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        line = {
            "sent": time.time(),
            "method": request.method,
            "url": request.url,
            "body": body,
            "content_type": request.headers.get("Content-Type"),
        }
        pid = os.getpid()
        with lock:
            handle = files.get(pid)
            if handle is None:  # a forked child writes a file of its own
                handle = files[pid] = (folder / f"capture-{pid}.jsonl").open("a", buffering=1)
            handle.write(json.dumps(line) + "\n")

    def send(self: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        record(request)
        return original(self, request, **kwargs)

    requests.Session.send = send  # type: ignore[method-assign]

    def uninstall() -> None:
        requests.Session.send = original  # type: ignore[method-assign]
        with lock:
            for handle in files.values():
                handle.close()
            files.clear()

    return uninstall


def load_capture(folder: Path) -> list[Call]:
    """Every captured request, in the order it was sent."""
    calls = [
        Call(**json.loads(line))
        for path in sorted(folder.glob("capture-*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    calls.sort(key=lambda call: call.sent)
    return calls


# --- replay --------------------------------------------------------------------------------------------------
def _token(system: str, response: requests.Response) -> str:
    data = response.json()
    return str(data if system == "magento" else data["access_token"])


def replay(calls: Sequence[Call], concurrency: int, timeout: float = 60.0) -> ReplayResult:
    """Send ``calls`` again, in their order, from ``concurrency`` threads; first one login per server."""
    logins: dict[str, Call] = {}
    for call in calls:
        if call.login and not call.path.endswith("/refresh"):
            logins.setdefault(call.base, call)
    work = iter([call for call in calls if not call.login])
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    sent = 0
    failures: list[BaseException] = []

    def send(session: requests.Session, call: Call, token: str | None) -> requests.Response:
        headers = {"Content-Type": call.content_type} if call.content_type else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = call.body.encode() if call.body else None
        response = session.request(call.method, call.url, data=data, headers=headers, timeout=timeout)
        response.content  # noqa: B018 - read the answer to the end, as any client must
        return response

    def worker(tokens: dict[str, str]) -> None:
        nonlocal sent
        session = _session()
        mine: Counter[int] = Counter()
        try:
            while True:
                with lock:
                    call = next(work, None)
                if call is None:
                    break
                mine[send(session, call, tokens.get(call.base)).status_code] += 1
        except BaseException as exc:  # reported after the others finished
            failures.append(exc)
        finally:
            with lock:
                statuses.update(mine)
                sent += sum(mine.values())

    started = time.perf_counter()
    login_session = _session()
    tokens = {}
    for base, call in logins.items():
        response = send(login_session, call, None)
        statuses[response.status_code] += 1
        tokens[base] = _token(LOGIN_PATHS[call.path], response)
    threads = [threading.Thread(target=worker, args=(tokens,), name=f"bare-{n}") for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if failures:
        raise failures[0]
    return ReplayResult(seconds, len(logins) + sent, statuses)


def _session() -> requests.Session:
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    return session


# --- the bare paginated read (issue 9 point 3) -----------------------------------------------------------------
def concurrent_pages(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any],
    pages: Iterable[int],
    concurrency: int,
    timeout: float = 60.0,
    decode: Callable[[bytes], int] | None = None,
) -> int:
    """GET ``url?params&page=n`` for every n on ``concurrency`` threads, each answer read to its end; returns
    the pages read, or with ``decode`` (answer -> its records) the records. Every thread has a keep-alive
    session like ``session``."""
    local = threading.local()
    headers = dict(session.headers)

    def get(page: int) -> int:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers.update(headers)
        response = local.session.get(url, params={**params, "page": page}, timeout=timeout)
        response.raise_for_status()
        return decode(response.content) if decode else 1

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bare-page") as pool:
        return sum(pool.map(get, pages))
