"""Benchmarks for contacthub_like: ``python -m benchmarks`` runs them all and prints medians and ratios."""
