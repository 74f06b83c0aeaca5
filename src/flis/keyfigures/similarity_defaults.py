"""The similar-municipality model's default k, in a module of its own.

``flis groups build --help`` shows it; importing it from :mod:`flis.keyfigures.similarity`
would make every ``flis`` command import numpy and pyarrow on start-up.
"""

#: Nearest neighbours per municipality and area in a similar group (docs/benchmarking.md).
DEFAULT_K = 10
