"""Benchmarks for govrules: latency, cold start, leave audits, batches and peers."""
