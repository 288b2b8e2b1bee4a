"""Benchmark of the site at scale: a synthetic data generator and the build benchmark."""
