"""What every room may use: paths of the cache and data directories."""
