"""Ingestion: receive deliveries, validate them against their contract, load them atomically."""
