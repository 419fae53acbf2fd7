"""Publish stage: the checked work file becomes the warehouse readers open, in one rename."""

import os

import dagster as dg

from pipelines.defs.keys import PUBLISHED
from pipelines.defs.models import sql_models
from pipelines.defs.resources import StoreResource


@dg.asset(key=PUBLISHED, deps=[sql_models], group_name="publish", kinds={"duckdb"})
def published_warehouse(store: StoreResource) -> dg.MaterializeResult:
    """data/warehouse.duckdb, replaced atomically once every check and dbt test has passed,
    with what it was built from (warehouse.inputs: a run with the same inputs does nothing)."""
    import duckdb

    from pipelines.warehouse.duckdb_file import publish

    with store.store.publishing() as layout:
        size = publish(layout.work_warehouse, layout.warehouse)
        if layout.work_stamp.exists():
            os.replace(layout.work_stamp, layout.stamp)
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        marts = connection.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    return dg.MaterializeResult(
        metadata={
            "path": str(layout.warehouse),
            "bytes": size,
            **{f"rows/{name}": int(rows) for name, rows in marts},
        }
    )
