"""The three dataset levels of a release: benchmark, institutions and detail."""
