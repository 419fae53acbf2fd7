"""Records and crawl metadata -> polars frames with declared schemas (the warehouse's tables)."""
