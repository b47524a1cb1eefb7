"""Benchmarks (run as scripts; see each file's docstring). A package so that the load benchmark's settings import."""
