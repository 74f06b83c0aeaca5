"""The ``flis`` command line: thin commands over the platform's stages."""

from flis.cli.app import app, main

__all__ = ["app", "main"]
