"""`make run` and the tests that drive a real Airflow: start, wait, talk to the REST API, stop."""
