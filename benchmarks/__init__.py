"""Benchmarks that serve the whole app (they import it), apart from the pure atlas package."""
