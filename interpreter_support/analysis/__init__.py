"""Statistical analysis engines (plain Python, no Flask)."""
