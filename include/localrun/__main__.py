"""`make run`: the sandbox APIs, Airflow standalone and the sample profiles, until Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from localrun.stack import ROOT, LocalStack


def main() -> int:
    home = Path(os.environ.get("AIRFLOW_HOME", ROOT / "airflow_home"))
    stack = LocalStack(airflow_home=home, airflow_port=int(os.environ.get("PROFILE_SYNC_AIRFLOW_PORT", "8080")))
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(f"starting the sandbox APIs and Airflow (logs in {home / 'run-logs'}) ...", flush=True)
    try:
        stack.start()
        from profile_sync.profiles import load_profiles

        result = load_profiles(Path(os.environ.get("PROFILE_SYNC_CONFIG_DIR", ROOT / "profile_configs")))
        for error in result.errors:
            print(error.format(ROOT), file=sys.stderr)
        profiles = {item.profile.id: item.profile for item in result.profiles}
        stack.wait_for_dags(set(profiles))
        enabled = stack.unpause_enabled({pid: p.enabled for pid, p in profiles.items()})
        magento, plenty, freeagent = stack.sandbox_ports
        print(
            f"\n  Airflow UI:   http://127.0.0.1:{stack.airflow_port}   (login: admin / {stack.users['admin']})\n"
            f"  Profiles:     {len(profiles)} DAGs; running on their schedules: {', '.join(enabled) or 'none'}\n"
            f"  Sandbox APIs: Magento http://127.0.0.1:{magento}  PlentyONE http://127.0.0.1:{plenty}"
            f"  FreeAgent http://127.0.0.1:{freeagent}\n  Ctrl-C stops everything.\n",
            flush=True,
        )
        while not stopping:
            stack._check_alive()
            time.sleep(1)
    finally:
        print("stopping ...", flush=True)
        stack.stop()
        print("stopped: nothing left running.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
