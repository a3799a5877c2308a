#!/usr/bin/env bash
# The docker-compose topology without Docker: PostgreSQL and Redis from Debian packages, and Airflow 3 with the
# CeleryExecutor from the virtualenv (api-server, scheduler, dag-processor, TWO Celery workers), all on 127.0.0.1.
#
#   distributed_demo.sh [demo]          start everything, run the proof (deploy.celery_proof), stop everything
#   distributed_demo.sh start           start everything and return (state under var/distributed, var/pg)
#   distributed_demo.sh stop            stop everything this script started (pid files), PostgreSQL and Redis too
#   distributed_demo.sh status          what is running
#   distributed_demo.sh env             the environment the components run with (to `eval` in a shell)
#   distributed_demo.sh kill-worker N   SIGKILL worker N (worker-a | worker-b) and every process it started
#   distributed_demo.sh start-worker N  start worker N again (after kill-worker)
#
# Ports (override with the variables): PostgreSQL 58432, Redis 58379, Airflow api-server 58080, sandbox 58081-3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEMO_DIR="${PROFILE_SYNC_DEMO_DIR:-$ROOT/var/distributed}"
PG_DATA="${PROFILE_SYNC_DEMO_PGDATA:-$ROOT/var/pg}"
PG_PORT="${PROFILE_SYNC_DEMO_PG_PORT:-58432}"
REDIS_PORT="${PROFILE_SYNC_DEMO_REDIS_PORT:-58379}"
API_PORT="${PROFILE_SYNC_DEMO_API_PORT:-58080}"
SANDBOX_PORTS=("${PROFILE_SYNC_DEMO_MAGENTO_PORT:-58081}" "${PROFILE_SYNC_DEMO_PLENTY_PORT:-58082}"
    "${PROFILE_SYNC_DEMO_FREEAGENT_PORT:-58083}")
WORKERS=(worker-a worker-b)
WORKER_CONCURRENCY="${PROFILE_SYNC_DEMO_WORKER_CONCURRENCY:-2}"
RUN_DIR="$DEMO_DIR/run"
LOG_DIR="$DEMO_DIR/logs"
DB_USER=airflow
DB_PASSWORD=airflow
# Versions proven with apache-airflow 3.3.2 here; `make install` installs them when requirements.txt names them.
CELERY_PACKAGES=(apache-airflow-providers-celery==3.26.0 celery==5.6.3 redis==8.1.0 psycopg2-binary==2.9.13)

log() { printf '[distributed-demo] %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------- environment
demo_env() {
    export AIRFLOW_HOME="$DEMO_DIR/airflow_home"
    # shellcheck source=../scripts/env.sh
    source "$ROOT/include/scripts/env.sh"
    local db="postgresql+psycopg2://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT"
    export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="$db/airflow"
    # Airflow's async engine would default to asyncpg; psycopg 3 (already a dependency) serves instead.
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC="postgresql+psycopg_async://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/airflow"
    export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
    export AIRFLOW__CELERY__RESULT_BACKEND="db+$db/airflow"
    export AIRFLOW__CELERY__WORKER_CONCURRENCY="$WORKER_CONCURRENCY"
    export AIRFLOW__CELERY__TASK_ACKS_LATE=True
    export AIRFLOW_CONN_SYNC_STATE="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/sync_state"
    # Both workers run on this host, so one folder is shared storage; a cluster would use s3://... instead
    # (profile_sync refuses a local folder under Celery unless it is declared shared).
    export PROFILE_SYNC_STAGING_URL="file://$DEMO_DIR/staging"
    export PROFILE_SYNC_STAGING_SHARED=true
    export AIRFLOW__CORE__LOAD_EXAMPLES=False
    export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
    export AIRFLOW__CORE__PARALLELISM=8
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$API_PORT/execution/"
    # Two workers on one host: each names itself (see deploy/worker_identity.py) so task instances tell them apart.
    export AIRFLOW__CORE__HOSTNAME_CALLABLE=deploy.worker_identity.worker_hostname
    export AIRFLOW__API__HOST=127.0.0.1
    export AIRFLOW__API__PORT="$API_PORT"
    export AIRFLOW__API__WORKERS=1
    export AIRFLOW__API__BASE_URL="http://127.0.0.1:$API_PORT"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="admin:admin"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$DEMO_DIR/passwords.json"
    # Every component must share these secrets (tokens signed by the api-server are checked by the others).
    export AIRFLOW__API_AUTH__JWT_SECRET="$(secret jwt)"
    export AIRFLOW__API__SECRET_KEY="$(secret api)"
    export AIRFLOW__CORE__FERNET_KEY="$(secret fernet)"
    export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=10
    export AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL=30
    # The package's DAGs and the small Celery demo DAG, as two bundles.
    export AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST="[
      {\"name\": \"dags-folder\", \"classpath\": \"airflow.dag_processing.bundles.local.LocalDagBundle\",
       \"kwargs\": {\"path\": \"$ROOT/dags\"}},
      {\"name\": \"deploy-demo\", \"classpath\": \"airflow.dag_processing.bundles.local.LocalDagBundle\",
       \"kwargs\": {\"path\": \"$ROOT/include/deploy/demo_dags\"}}]"
    # A killed worker's task stops heartbeating; the scheduler fails it after this many seconds and it retries.
    export AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT=30
    export AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL=5
    export SANDBOX_HOST=127.0.0.1
    export SANDBOX_MAGENTO_PORT="${SANDBOX_PORTS[0]}" SANDBOX_PLENTY_PORT="${SANDBOX_PORTS[1]}"
    export SANDBOX_FREEAGENT_PORT="${SANDBOX_PORTS[2]}"
    sandbox_connections
    export PROFILE_SYNC_DEMO_API_URL="http://127.0.0.1:$API_PORT"
    export PROFILE_SYNC_DEMO_SCRIPT="$ROOT/include/deploy/distributed_demo.sh"
}

# A secret made once per demo directory, so that a restarted component still agrees with the running ones.
secret() {
    local file="$DEMO_DIR/secrets/$1"
    if [[ ! -s "$file" ]]; then
        mkdir -p "$DEMO_DIR/secrets" && chmod 700 "$DEMO_DIR/secrets"
        if [[ "$1" == fernet ]]; then
            python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' >"$file"
        else
            python -c 'import secrets; print(secrets.token_urlsafe(32))' >"$file"
        fi
    fi
    cat "$file"
}

# The sandbox's committed connections, with the demo's ports instead of the defaults (8081-8083).
sandbox_connections() {
    local file="$ROOT/include/sandbox/connections.env" line name value
    [[ -f "$file" ]] || return 0
    while IFS= read -r line; do
        [[ "$line" =~ ^AIRFLOW_CONN_[A-Z0-9_]+= ]] || continue
        name="${line%%=*}"
        value="${line#*=}"
        value="${value#\'}" && value="${value%\'}"
        value="$(sed -E "s/(\"port\": *)8081/\1${SANDBOX_PORTS[0]}/; s/(\"port\": *)8082/\1${SANDBOX_PORTS[1]}/;
                         s/(\"port\": *)8083/\1${SANDBOX_PORTS[2]}/" <<<"$value")"
        export "$name=$value"
    done <"$file"
}

# ------------------------------------------------------------------------------------------------- packages
ensure_packages() {
    local missing=()
    command -v redis-server >/dev/null || missing+=(redis-server)
    pg_bindir >/dev/null 2>&1 || missing+=(postgresql)
    if ((${#missing[@]})); then
        [[ $EUID -eq 0 ]] || { log "please install: ${missing[*]} (apt-get install -y ${missing[*]})"; exit 1; }
        log "installing ${missing[*]} from Debian"
        apt-get install -y -q "${missing[@]}" >"$LOG_DIR/apt.log" 2>&1 ||
            { apt-get update -q >>"$LOG_DIR/apt.log" 2>&1 && apt-get install -y -q "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1; }
    fi
    if ! python -c 'import airflow.providers.celery, celery, redis, psycopg2' 2>/dev/null; then
        log "installing ${CELERY_PACKAGES[*]} into the virtualenv"
        python -m pip install --quiet "${CELERY_PACKAGES[@]}" -c "$ROOT/constraints.txt"
    fi
}

pg_bindir() {
    if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir
        return
    fi
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

# PostgreSQL refuses to run as root: run its commands as the `postgres` user then.
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# ------------------------------------------------------------------------------------------------- services
start_postgres() {
    local bin
    bin="$(pg_bindir)"
    mkdir -p "$PG_DATA"
    [[ $EUID -eq 0 ]] && chown postgres: "$PG_DATA" && chmod 700 "$PG_DATA"
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        log "initdb $PG_DATA"
        local pwfile
        pwfile="$(mktemp)" && echo "$DB_PASSWORD" >"$pwfile" && chmod 644 "$pwfile"
        as_pg "$bin/initdb" -D "$PG_DATA" -U "$DB_USER" --pwfile="$pwfile" --auth-host=scram-sha-256 \
            --auth-local=peer -E UTF8 >"$LOG_DIR/initdb.log" 2>&1
        rm -f "$pwfile"
    fi
    if as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        log "PostgreSQL already running"
    else
        require_free_port "$PG_PORT" PostgreSQL
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        # The server log lives in the data directory: only the postgres user may write there.
        as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
            -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200" \
            >/dev/null
    fi
    local name
    for name in airflow sync_state; do
        if ! PGPASSWORD="$DB_PASSWORD" "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d postgres -tAc \
            "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
            PGPASSWORD="$DB_PASSWORD" "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" "$name"
        fi
    done
}

stop_postgres() {
    local bin
    bin="$(pg_bindir)" || return 0
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        log "stopping PostgreSQL"
        as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null || true
    fi
}

start_redis() {
    if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
        log "Redis already running"
        return
    fi
    require_free_port "$REDIS_PORT" Redis
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    mkdir -p "$DEMO_DIR/redis"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DEMO_DIR/redis" --save '' --appendonly no \
        --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log"
    wait_until 30 "Redis" redis_ready
}

redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

stop_redis() {
    if [[ -f "$RUN_DIR/redis.pid" ]]; then
        log "stopping Redis"
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill_group TERM redis
        rm -f "$RUN_DIR/redis.pid"
    fi
}

# A long-running component in its own session (its pid is its process group), its pid in run/NAME.pid.
start_daemon() {
    local name="$1"
    shift
    if pid_alive "$name"; then
        log "$name already running"
        return
    fi
    setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/$name.pid"
}

# Another program on a port would be mistaken for ours: refuse clearly instead.
require_free_port() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        log "port $1 (for $2) is already taken by another program: set PROFILE_SYNC_DEMO_*_PORT (see the header)"
        exit 1
    fi
}

pid_alive() { [[ -f "$RUN_DIR/$1.pid" ]] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

kill_group() {
    local signal="$1" name="$2" pid
    [[ -f "$RUN_DIR/$name.pid" ]] || return 0
    pid="$(cat "$RUN_DIR/$name.pid")"
    kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
}

stop_daemon() {
    local name="$1" grace="${2:-20}" pid waited=0
    [[ -f "$RUN_DIR/$name.pid" ]] || return 0
    pid="$(cat "$RUN_DIR/$name.pid")"
    kill_group TERM "$name"
    while kill -0 "$pid" 2>/dev/null && ((waited < grace * 5)); do
        sleep 0.2
        waited=$((waited + 1))
    done
    kill_group KILL "$name" # the rest of its session too (task processes, gunicorn/uvicorn children)
    rm -f "$RUN_DIR/$name.pid"
}

wait_until() {
    local timeout="$1" what="$2" deadline
    shift 2
    deadline=$((SECONDS + timeout))
    until "$@"; do
        if ((SECONDS > deadline)); then
            log "$what not ready within ${timeout}s (logs in $LOG_DIR)"
            return 1
        fi
        sleep 1
    done
}

api_healthy() {
    local body
    body="$(curl -fsS "http://127.0.0.1:$API_PORT/api/v2/monitor/health" 2>/dev/null)" || return 1
    python -c 'import json, sys
health = json.loads(sys.argv[1])
parts = [health.get(k) or {} for k in ("metadatabase", "scheduler", "dag_processor")]
sys.exit(0 if all(p.get("status") == "healthy" for p in parts) else 1)' "$body" 2>/dev/null
}

worker_ready() { grep -q "ready\." "$LOG_DIR/$1.log" 2>/dev/null; }

sandbox_ready() { curl -fsS "http://127.0.0.1:${SANDBOX_PORTS[0]}/_sandbox/health" >/dev/null 2>&1; }

start_airflow() {
    require_free_port "$API_PORT" "the Airflow api-server"
    log "airflow db migrate (PostgreSQL)"
    airflow db migrate >"$LOG_DIR/db-migrate.log" 2>&1
    printf '{"admin": "admin"}' >"$DEMO_DIR/passwords.json"
    start_daemon api-server airflow api-server
    start_daemon scheduler airflow scheduler
    start_daemon dag-processor airflow dag-processor
    local worker
    for worker in "${WORKERS[@]}"; do
        start_worker "$worker"
    done
    wait_until 240 "the api-server, scheduler and dag-processor" api_healthy
    for worker in "${WORKERS[@]}"; do
        wait_until 120 "$worker" worker_ready "$worker"
    done
}

start_worker() {
    local worker="$1"
    pid_alive "$worker" && return
    # A fresh log each start: "ready." in it means this start is ready.
    [[ -f "$LOG_DIR/$worker.log" ]] && mv "$LOG_DIR/$worker.log" "$LOG_DIR/$worker.log.1"
    # Logs are on this shared disk, so the workers need no log server (which would want one port each).
    PROFILE_SYNC_WORKER_HOSTNAME="$worker" start_daemon "$worker" airflow celery worker \
        --celery-hostname "$worker@%h" --concurrency "$WORKER_CONCURRENCY" --skip-serve-logs \
        --pid "$RUN_DIR/$worker.celery.pid"
}

# The profile DAGs need the sandbox; the Celery proof does not, so a sandbox that cannot start is only reported.
start_sandbox() {
    if [[ ! -f "$ROOT/include/sandbox/__main__.py" ]]; then
        log "no include/sandbox yet: the sandbox is not started (profile DAGs cannot run)"
        return
    fi
    pid_alive sandbox || require_free_port "${SANDBOX_PORTS[0]}" "the sandbox"
    start_daemon sandbox python -m sandbox serve --scale "${PROFILE_SYNC_DEMO_SANDBOX_SCALE:-small}"
    if ! wait_until 120 "the sandbox" sandbox_ready_or_gone || ! pid_alive sandbox; then
        log "the sandbox did not start (see $LOG_DIR/sandbox.log): profile DAGs cannot run"
        stop_daemon sandbox 5
    fi
}

sandbox_ready_or_gone() { sandbox_ready || ! pid_alive sandbox; }

# ------------------------------------------------------------------------------------------------- commands
start_all() {
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    demo_env
    ensure_packages
    start_postgres
    start_redis
    start_sandbox
    start_airflow
    log "up: Airflow http://127.0.0.1:$API_PORT (admin / admin), workers ${WORKERS[*]}, logs in $LOG_DIR"
}

stop_all() {
    local name
    for name in "${WORKERS[@]}" scheduler dag-processor api-server sandbox; do
        if [[ -f "$RUN_DIR/$name.pid" ]]; then
            log "stopping $name"
            stop_daemon "$name"
        fi
    done
    stop_redis
    stop_postgres
}

status() {
    local name
    for name in postgres redis sandbox api-server scheduler dag-processor "${WORKERS[@]}"; do
        case "$name" in
        postgres) [[ -f "$PG_DATA/postmaster.pid" ]] && echo "postgres: running" || echo "postgres: stopped" ;;
        redis) redis_ready && echo "redis: running" || echo "redis: stopped" ;;
        *) pid_alive "$name" && echo "$name: running (pid $(cat "$RUN_DIR/$name.pid"))" || echo "$name: stopped" ;;
        esac
    done
}

kill_worker() {
    local name="$1"
    [[ " ${WORKERS[*]} " == *" $name "* ]] || { log "no such worker: $name"; exit 2; }
    pid_alive "$name" || { log "$name is not running"; exit 1; }
    log "SIGKILL $name (process group $(cat "$RUN_DIR/$name.pid")) and its running tasks"
    kill_group KILL "$name"
    rm -f "$RUN_DIR/$name.pid"
}

demo() {
    # Whatever happens (failure, Ctrl-C), everything started is stopped.
    trap stop_all EXIT
    trap 'exit 130' INT TERM
    start_all
    python -m deploy.celery_proof "$@"
}

main() {
    local command="${1:-demo}"
    [[ $# -gt 0 ]] && shift
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    case "$command" in
    demo) demo "$@" ;;
    start) start_all ;;
    stop) stop_all ;;
    status) status ;;
    env) demo_env && export -p | grep -E ' (AIRFLOW|PROFILE_SYNC|SANDBOX|PYTHONPATH|PATH)' ;;
    kill-worker) kill_worker "$@" ;;
    start-worker)
        demo_env
        [[ " ${WORKERS[*]} " == *" ${1:-} "* ]] || { log "no such worker: ${1:-}"; exit 2; }
        start_worker "$1" && wait_until 120 "$1" worker_ready "$1" && log "$1 ready"
        ;;
    *) sed -n '4,12p' "${BASH_SOURCE[0]}" >&2 && exit 2 ;;
    esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
