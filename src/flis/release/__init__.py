"""Monthly releases: datasets, disclosure control, pseudonyms and exports."""
