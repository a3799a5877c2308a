"""Benchmarks (`make bench`, `make bench-quick`): the project measured side by side with its baselines.

Entry point: ``python -m tests.benchmarks.run [--quick|--full]`` from the project root. Each benchmark is a
module registered in ``registry.py``; results go to ``bench/results/`` (ignored by git).
"""
