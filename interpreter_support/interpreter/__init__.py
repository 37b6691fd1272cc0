"""The interpreter's own pages."""
