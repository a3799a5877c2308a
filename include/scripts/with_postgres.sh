#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server on loopback, its URL in PROFILE_SYNC_TEST_PG_URL, so that
# the state store's PostgreSQL tests run too. Installs Debian's postgresql when missing and we are root; without
# PostgreSQL the command still runs and those tests skip, saying why. The server is stopped whatever happens.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="$ROOT/var/test-pg-$$"  # one per run: two suites side by side must not share a cluster

bindir() {
    local dir
    if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then pg_config --bindir; return; fi
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [[ -n "$dir" && -x "$dir/initdb" ]] && { echo "$dir"; return; }
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
}
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

BIN="$(bindir)"
if [[ -z "$BIN" && $EUID -eq 0 ]]; then
    (apt-get install -y -qq postgresql >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql; }) >/dev/null 2>&1
    BIN="$(bindir)"
fi
if [[ -z "$BIN" ]]; then
    echo "with_postgres: no PostgreSQL here; its tests will skip" >&2
    exec "$@"
fi
if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then useradd --system --no-create-home postgres; fi
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
rm -rf "$DATA"; mkdir -p "$DATA"
[[ $EUID -eq 0 ]] && chown postgres: "$DATA" && chmod 700 "$DATA"
as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DATA -c fsync=off" start >/dev/null
trap 'as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1; rm -rf "$DATA"' EXIT
export PROFILE_SYNC_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
"$@"
