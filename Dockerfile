# The image every Airflow service of docker-compose.yaml runs (and the sandbox): Airflow 3.3.2 with the package
# installed from its wheel, as a team installs it into any Airflow (README: "Install into an existing Airflow").
# Lean: the image holds profile_sync and its runtime dependencies only; the sandbox, the benchmarks and the
# test tools are not installed, and nothing of include/ is on the workers' import path.
# Python 3.11: the version constraints.txt was resolved on.

# --- the wheel, built from this checkout with the build tools pinned in constraints.txt
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY pyproject.toml README.md CHANGELOG.md constraints.txt ./
COPY plugins/profile_sync plugins/profile_sync
COPY dags/profile_sync_dags_*.py dags/profile_sync_validation.py dags/
COPY profile_configs profile_configs
RUN pip install --no-cache-dir build hatchling -c constraints.txt \
    && python -m build --wheel --no-isolation --outdir /dist .

# --- the runtime: Airflow (pinned so that pip never moves it) plus the wheel
FROM apache/airflow:3.3.2-python3.11 AS runtime
USER airflow
COPY --from=wheel /dist/ /opt/profile-sync/dist/
COPY --chown=airflow:root include/deploy/airflow_init.sh /opt/profile-sync/airflow_init.sh
RUN pip install --no-cache-dir "apache-airflow==3.3.2" /opt/profile-sync/dist/*.whl
