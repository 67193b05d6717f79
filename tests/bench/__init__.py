"""Tests of the benchmark: generated events, the greedy baseline, the report."""
