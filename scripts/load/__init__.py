"""The load and fault test behind scripts/loadtest.py, in parts."""
