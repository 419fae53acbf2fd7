"""Crawl the deliberations portal: one polite HTTP client, one adapter per source, a raw store."""
