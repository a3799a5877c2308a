"""One full paginated read of PlentyONE's /rest/orders in a process of its own (issue 9 point 3).

    python -m tests.benchmarks.fetch_probe hook|bare BASE_URL TOKEN PAGE_SIZE CONCURRENCY OUT.json [--profile F]

``hook``: the project's PlentyHook (connection ``plenty_default`` from AIRFLOW_CONN_PLENTY_DEFAULT) paginating
the route: the first page, then the rest on its page pool, parsed, in order. ``bare``: plain ``requests``, the
same page requests from a pool of the same size, each answer decoded with the hook's JSON decoder (msgspec) and
nothing else; then, for the notes, the same pages again only downloaded (read to the end, not decoded). Timed
from the first page request to the last record; the login is done before the clock starts (the hook's own;
the bare client uses TOKEN). ``--profile F`` (hook only): the read once more on one thread under pyinstrument,
its text report to F and the share of time per step in the result.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import msgspec
import requests

from tests.benchmarks.profiling import shares

ROUTE = "/rest/orders"


def hook_read(page_size: int, profile: Path | None = None) -> dict[str, object]:
    from profile_sync.connectors.plenty import PlentyHook

    hook = PlentyHook("plenty_default")
    hook.current_token()  # the login, outside the clock
    started = time.perf_counter()
    records = sum(len(page) for page in hook.paginate(ROUTE, page_size=page_size))
    seconds = time.perf_counter() - started
    result: dict[str, object] = {"records": records, "seconds": seconds, "concurrency": hook.max_workers}
    hook.close()
    if profile is not None:
        result["profile_shares"] = _profiled_read(page_size, profile)
    return result


def _profiled_read(page_size: int, out: Path) -> dict[str, float]:
    """The hook's read on one thread (pyinstrument follows one thread): where a page's time goes."""
    from pyinstrument import Profiler

    from profile_sync.connectors.plenty import PlentyHook

    hook = PlentyHook("plenty_default", max_workers=1)
    hook.current_token()
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    for _ in hook.paginate(ROUTE, page_size=page_size):
        pass
    profiler.stop()
    hook.close()
    out.write_text(profiler.output_text(unicode=True, color=False, show_all=False), "utf-8")
    steps = {"requests (network and HTTP)": ("/requests/", "request"), "JSON decode": ("profile_sync", "_parse")}
    return shares(profiler, steps, "the hook's own code")


def bare_read(base_url: str, token: str, page_size: int, concurrency: int) -> dict[str, object]:
    from tests.benchmarks.bare_client import concurrent_pages

    session = requests.Session()
    session.headers.update({"Accept": "application/json", "Authorization": f"Bearer {token}"})
    url, params = base_url + ROUTE, {"itemsPerPage": page_size}
    started = time.perf_counter()
    first = session.get(url, params={**params, "page": 1}, timeout=60)
    first.raise_for_status()
    head = msgspec.json.decode(first.content)
    last = int(head["lastPageNumber"])
    records = len(head["entries"]) + concurrent_pages(
        session, url, params, range(2, last + 1), concurrency, decode=_entries
    )
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    concurrent_pages(session, url, params, range(1, last + 1), concurrency)
    download = time.perf_counter() - started
    return {"records": records, "seconds": seconds, "download_seconds": download, "concurrency": concurrency}


def _entries(content: bytes) -> int:
    return len(msgspec.json.decode(content)["entries"])


if __name__ == "__main__":
    variant, base_url, token, size, concurrency, out = sys.argv[1:7]
    profile_file = Path(sys.argv[sys.argv.index("--profile") + 1]) if "--profile" in sys.argv else None
    if variant == "hook":
        result = hook_read(int(size), profile_file)
    else:
        result = bare_read(base_url, token, int(size), int(concurrency))
    Path(out).write_text(json.dumps(result))
