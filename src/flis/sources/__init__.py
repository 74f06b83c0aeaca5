"""Source systems: the contracts of what each extract delivers, and the synthetic generator."""
