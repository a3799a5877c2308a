"""Airflow's ``[core] hostname_callable`` for several Celery workers on one machine.

Task instances record the hostname of the worker that ran them. Two workers on one host would record the same
name, so each worker of the distributed demo is started with ``PROFILE_SYNC_WORKER_HOSTNAME`` and every task
process it runs inherits it. Elsewhere (no variable) this is Airflow's usual fully qualified domain name.
"""

from __future__ import annotations

import os
import socket

WORKER_HOSTNAME_VARIABLE = "PROFILE_SYNC_WORKER_HOSTNAME"


def worker_hostname() -> str:
    return os.environ.get(WORKER_HOSTNAME_VARIABLE) or socket.getfqdn()
