"""Issue 9 point 1 / issue 2 point 6: DAG parse time (the benchmark is ``benchmark.py``).

Kept empty on purpose: the probe runs as ``python -m tests.benchmarks.dag_parse.probe`` and dag-factory imports
``callables`` from here, and neither may pre-import anything the timed parse should pay for itself.
"""
