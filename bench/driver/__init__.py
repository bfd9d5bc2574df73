"""The benchmark driver behind bench/run-bench: dropsight against the docs-style baseline."""
