"""Signing in and out, and a staff member's own preferences."""
