"""`make run`: PostgreSQL, the sandbox APIs, Airflow and the sample profiles, until Ctrl-C.

Exits non-zero, saying why, when a component keeps dying (the supervisor's restart limit)."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from localrun.stack import ROOT, LocalStack


def main() -> int:
    home = Path(os.environ.get("AIRFLOW_HOME", ROOT / "airflow_home"))
    stack = LocalStack(
        airflow_home=home,
        airflow_port=int(os.environ.get("PROFILE_SYNC_AIRFLOW_PORT", "8080")),
        postgres_port=int(os.environ.get("PROFILE_SYNC_POSTGRES_PORT", "8084")),
        sandbox_ports=(
            int(os.environ.get("SANDBOX_MAGENTO_PORT", "8081")),
            int(os.environ.get("SANDBOX_PLENTY_PORT", "8082")),
            int(os.environ.get("SANDBOX_FREEAGENT_PORT", "8083")),
        ),
        sandbox_scale=os.environ.get("SANDBOX_SCALE", "small"),
        report=lambda line: print(line, flush=True),
    )

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C or SIGTERM, during start-up too

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(f"starting PostgreSQL, the sandbox APIs and Airflow (logs in {home / 'run-logs'}) ...", flush=True)
    started = time.monotonic()
    code = 0
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
            f"\n  Up in {time.monotonic() - started:.0f} s.\n"
            f"  Airflow UI:   http://127.0.0.1:{stack.airflow_port}   (login: admin / {stack.users['admin']})\n"
            f"  Profiles:     {len(profiles)} DAGs; running on their schedules: {', '.join(enabled) or 'none'}\n"
            f"  Sandbox APIs: Magento http://127.0.0.1:{magento}  PlentyONE http://127.0.0.1:{plenty}"
            f"  FreeAgent http://127.0.0.1:{freeagent}\n"
            f"  PostgreSQL:   127.0.0.1:{stack.postgres_port} (databases airflow, sync_state; data in {home / 'postgres'})\n"
            "  Ctrl-C stops everything.\n",
            flush=True,
        )
        while not stack.failure:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # start-up failed: say why, stop what started, exit non-zero
        print(f"make run failed: {exc}", file=sys.stderr, flush=True)
        code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stopping short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("stopping ...", flush=True)
        failure = stack.failure
        stack.stop()
        print("stopped: nothing left running.")
    if failure:
        print(f"make run stopped because {failure}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
