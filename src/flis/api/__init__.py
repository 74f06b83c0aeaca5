"""The HTTP API (FastAPI): ``create_app(settings)``; docs/api.md describes it."""
