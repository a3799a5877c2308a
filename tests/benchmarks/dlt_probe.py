"""dlt's ``rest_api`` source reading every page of PlentyONE's /rest/orders; runs in the dlt venv only.

    bench/.dlt-venv/bin/python tests/benchmarks/dlt_probe.py BASE_URL TOKEN PAGE_SIZE OUT.json

Imports nothing of the project (its venv has dlt, not Airflow). The source is configured for the same route,
page size and bearer token as the hook; the figure is the time to iterate the source's resource to its end,
that is to read and parse every page (no pipeline, no destination: the "read" part of a load, which is what
the hook does). The paginator reads PlentyONE's page count (``lastPageNumber``), as the hook does.
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version
from pathlib import Path


def main(base_url: str, token: str, page_size: int) -> dict[str, object]:
    from dlt.sources.rest_api import rest_api_source

    source = rest_api_source(
        {
            "client": {
                "base_url": base_url,
                "auth": {"type": "bearer", "token": token},
                "paginator": {
                    "type": "page_number",
                    "page_param": "page",
                    "base_page": 1,
                    "total_path": "lastPageNumber",
                },
            },
            "resources": [
                {
                    "name": "orders",
                    "endpoint": {
                        "path": "rest/orders",
                        "params": {"itemsPerPage": page_size},
                        "data_selector": "entries",
                    },
                }
            ],
        }
    )
    started = time.perf_counter()
    records = sum(1 for _ in source.resources["orders"])
    seconds = time.perf_counter() - started
    return {"records": records, "seconds": seconds, "dlt": version("dlt")}


if __name__ == "__main__":
    url, token, size, out = sys.argv[1:5]
    Path(out).write_text(json.dumps(main(url, token, int(size))))
