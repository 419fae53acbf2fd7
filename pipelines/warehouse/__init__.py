"""The warehouse's files: parsed records per session year, the DuckDB work file, publication."""
