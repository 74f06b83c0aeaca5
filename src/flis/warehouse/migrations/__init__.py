"""Numbered SQL migrations ``vNNNN_<name>.sql``, applied in order."""
