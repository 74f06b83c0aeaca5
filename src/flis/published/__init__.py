"""Reading what releases published (never raw warehouse tables): values, changes, institutions."""
