"""Clients, episodes of care and clinical sessions with their interpreting."""
