"""Dagster assets, checks, partitions and schedules, one module per stage (no logic of their own)."""
