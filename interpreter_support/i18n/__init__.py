"""Interface locales and the UI message catalogs."""
