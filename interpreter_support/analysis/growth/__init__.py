"""The linear mixed-effects growth model (REML), without Flask."""
