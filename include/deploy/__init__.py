"""Deployment helpers: the distributed (Celery) demo on loopback and what docker-compose mounts."""
