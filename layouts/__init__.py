"""What is shown: pure functions returning component trees (no callbacks, no data I/O)."""
