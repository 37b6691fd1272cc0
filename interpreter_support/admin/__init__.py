"""Administration: staff accounts, sites and interpreters."""
