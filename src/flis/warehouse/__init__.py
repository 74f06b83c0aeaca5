"""The warehouse: the common information model in DuckDB, changed only by numbered migrations."""
