"""``python -m sandbox bench``: page reads per second (100 orders a page) that one sandbox process serves.

Starts a Magento server alone (scale "default": 10,000 orders), logs in, and lets `clients` threads read
random pages of ``/V1/orders`` sorted by updated_at then entity_id with an updated_at gteq filter, over
keep-alive connections, for `seconds`. The clients share the machine, so the figure is a lower bound.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from urllib.parse import urlencode, urlsplit

from sandbox.core.testing import running_sandbox

PAGE_SIZE = 100


def _query(page: int) -> str:
    return "/rest/default/V1/orders?" + urlencode({
        "searchCriteria[filter_groups][0][filters][0][field]": "updated_at",
        "searchCriteria[filter_groups][0][filters][0][value]": "2000-01-01 00:00:00",
        "searchCriteria[filter_groups][0][filters][0][condition_type]": "gteq",
        "searchCriteria[sortOrders][0][field]": "updated_at", "searchCriteria[sortOrders][0][direction]": "ASC",
        "searchCriteria[sortOrders][1][field]": "entity_id", "searchCriteria[sortOrders][1][direction]": "ASC",
        "searchCriteria[pageSize]": str(PAGE_SIZE), "searchCriteria[currentPage]": str(page)})


def measure(base_url: str, seconds: float = 5.0, clients: int = 4, path: str = "orders") -> dict[str, float]:
    """Page reads per second against a running Magento sandbox at `base_url`."""
    parts = urlsplit(base_url)
    login = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    login.request("POST", "/rest/V1/integration/admin/token",
                  json.dumps({"username": "admin", "password": "sandbox-admin-pass"}),
                  {"Content-Type": "application/json"})
    token = json.loads(login.getresponse().read())
    headers = {"Authorization": f"Bearer {token}"}
    login.request("GET", _query(1), headers=headers)
    total = json.loads(login.getresponse().read())["total_count"]
    pages = max(total // PAGE_SIZE, 1)
    counts = [0] * clients
    errors = [0] * clients
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        rnd = random.Random(index)
        while time.monotonic() < deadline:
            conn.request("GET", _query(rnd.randint(1, pages)), headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status == 200 and body.endswith(b"}"):
                counts[index] += 1
            else:
                errors[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"pages": sum(counts), "errors": sum(errors), "seconds": round(elapsed, 2),
            "pages_per_second": round(sum(counts) / elapsed, 1), "records_per_page": PAGE_SIZE,
            "total_records": total}


def run_bench(seconds: float = 5.0, clients: int = 4, scale: str = "default") -> int:
    with running_sandbox(seed=1, scale=scale, systems=("magento",), timeout=120) as urls:
        assert urls.magento is not None
        result = measure(urls.magento, seconds, clients)
    print(json.dumps(result))
    return 0 if result["errors"] == 0 else 1
