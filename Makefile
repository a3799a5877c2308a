# Two commands matter: `make run` (try the product) and `make test` (pass the tests). Both install first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed
ENV := source include/scripts/env.sh &&
PYTEST := $(ENV) python -m pytest

.PHONY: install bench-deps browser-deps sandbox-bench run sandbox test test-all lint validate bench bench-quick bench-long \
        test-reliability test-reliability-long \
        test-ui test-wheel wheel distributed-demo lock clean

# The checkout itself is installed editable, without dependencies (requirements.txt has them, pinned by
# constraints.txt) and with the pinned hatchling already here: its entry points make Airflow register the
# connection types and the view, while the code stays plugins/ (the install's .pth names that folder).
$(STAMP): requirements.txt requirements-test.txt constraints.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt -r requirements-test.txt -c constraints.txt
	$(VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $(STAMP)

install: $(STAMP)

## run: PostgreSQL + the sandbox APIs + Airflow's components (supervised) + the sample profiles (Ctrl-C stops all)
run: install
	$(ENV) python -m localrun

## sandbox: only the three emulated APIs (Magento 8081, PlentyONE 8082, FreeAgent 8083)
sandbox: install
	$(ENV) python -m sandbox serve

## test: lint + the test suite CI runs (unit, integration against the real sandbox and a real Airflow)
test: install lint browser-deps
	$(ENV) bash include/scripts/with_postgres.sh python -m pytest -m "not slow and not bench and not distributed" --durations=25 tests

## test-all: make test plus the long forms marked slow (the scheduler-driven e2e tests, the reliability suite's
## slow cases, the wheel); not the benchmarks or the distributed demo
test-all: install lint browser-deps
	$(ENV) bash include/scripts/with_postgres.sh python -m pytest -m "not bench and not distributed" --durations=25 tests

## browser-deps: Debian's chromium for the UI tests (Playwright drives it; it never downloads a browser)
browser-deps:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null))

## lint: ruff, and the layers and forbidden imports of .importlinter (import-linter)
lint: install
	$(ENV) ruff check dags plugins include tests
	$(ENV) lint-imports --no-cache

## validate: check every profile file, print every error, exit non-zero on any (for pre-merge checks)
validate: install
	$(ENV) python -m profile_sync validate profile_configs

## distributed-demo: PostgreSQL + Redis + Airflow on Celery with two workers, a profile's batches on both
distributed-demo: install
	$(ENV) bash include/deploy/distributed_demo.sh demo

sandbox-bench: install
	$(ENV) python -m sandbox bench

bench-deps: install
	$(VENV)/bin/python -m pip install --quiet -r requirements-bench.txt -c constraints.txt
	$(ENV) python -m tests.benchmarks.fetch_vs_dlt install  # dlt in bench/.dlt-venv, never beside Airflow

## bench / bench-quick: the benchmarks side by side with their baselines (results in bench/results/)
bench: bench-deps
	$(ENV) python -m tests.benchmarks.run --full

bench-quick: bench-deps
	$(ENV) python -m tests.benchmarks.run --quick

## bench-long: the issue's original sizes (sync throughput over 20,000 orders and 50,000 stock rows, memory from
## 2,000 to 200,000 orders): ~40 minutes, results in bench/results/long/; not part of make bench or make test
bench-long: bench-deps
	$(ENV) python -m tests.benchmarks.run --long

## wheel: the distribution (dist/profile_sync-<version>-py3-none-any.whl), built with the pinned hatchling
wheel: install
	$(VENV)/bin/python -m build --wheel --no-isolation --outdir dist .

## test-wheel: builds the wheel, installs it beside apache-airflow==3.3.2 in a fresh virtualenv (PyPI through
## pip's configured indexes), runs `profile-sync init` and a sample profile there (slow: ~5 minutes)
test-wheel: install
	$(PYTEST) -m slow tests/packaging/test_wheel.py

## test-ui: the browser tests of the "Sync profiles" view (Debian chromium + Playwright, headless)
test-ui: install browser-deps
	$(PYTEST) -m browser tests/plugin

## test-reliability: the reliability suite (its bounded cases also run in make test)
test-reliability: install
	$(ENV) bash include/scripts/with_postgres.sh python -m pytest -m reliability tests/reliability

test-reliability-long: install
	PROFILE_SYNC_RELIABILITY_LONG=1 $(ENV) bash include/scripts/with_postgres.sh python -m pytest -m reliability tests/reliability

## lock: refresh constraints.txt from the current virtualenv (after changing requirements*.txt)
lock:
	$(VENV)/bin/python -m pip freeze --exclude-editable | sort > constraints.txt

## clean: wipes what make run and the tests keep (Airflow's home with its PostgreSQL data, var/, bench results)
clean:
	rm -rf airflow_home var bench/results
