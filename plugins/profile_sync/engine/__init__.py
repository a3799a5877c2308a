"""The sync engine: batching, staging, idempotent push, failed entries, watermarks."""
