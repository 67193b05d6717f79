"""Benchmark of the scheduler: synthetic events at four sizes, a greedy baseline, a report."""
