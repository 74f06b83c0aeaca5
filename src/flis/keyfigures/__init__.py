"""Key figures (nøgletal): the catalogue, its compiler to SQL, the build and benchmarking."""
