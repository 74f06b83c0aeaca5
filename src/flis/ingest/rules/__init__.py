"""The validation rule catalogue and the rule families that apply it (one module per family)."""

from flis.ingest.rules.catalogue import Rule, rule, rules

__all__ = ["Rule", "rule", "rules"]
