"""Operational messages from the central operator to the municipalities' users."""
