"""Machinery shared by the three emulated systems: app factory, faults, rate limits, auth, admin surface,
in-memory tables, request log and the test helpers."""
