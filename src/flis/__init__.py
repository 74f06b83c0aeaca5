"""flis: an open shared municipal management-information system (FLIS)."""

__version__ = "0.1.0"
