# The image every Airflow service of docker-compose.yaml runs (and the sandbox): Airflow 3.3.2 with the
# package's pinned requirements baked in, rather than installed at each start (_PIP_ADDITIONAL_REQUIREMENTS).
# Python 3.11: the version pyproject.toml allows and constraints.txt was resolved on.
# dags/, plugins/, profile_configs/ and include/ are mounted by docker-compose.yaml, so nothing of them is copied.
FROM apache/airflow:3.3.2-python3.11

USER airflow
COPY --chown=airflow:root requirements.txt constraints.txt /opt/profile-sync/
RUN pip install --no-cache-dir -r /opt/profile-sync/requirements.txt -c /opt/profile-sync/constraints.txt
