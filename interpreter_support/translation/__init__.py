"""Translation of instruments and texts: catalogs, workflow and the offline MT engine."""
