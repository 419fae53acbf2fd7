"""Publish stage: the checked work file becomes the warehouse readers open, in one rename."""

import dagster as dg
import duckdb

from pipelines import sync
from pipelines.defs.models import sql_models
from pipelines.defs.resources import PolefundsConfig
from pipelines.warehouse.duckdb_file import publish

PUBLISHED = dg.AssetKey(["publish", "warehouse"])


@dg.asset(key=PUBLISHED, deps=[sql_models], group_name="publish", kinds={"duckdb"})
def published_warehouse(polefunds: PolefundsConfig) -> dg.MaterializeResult:
    """data/warehouse.duckdb, replaced atomically once every check and dbt test has passed."""
    layout = polefunds.layout
    size = publish(layout.work_warehouse, layout.warehouse)
    sync.published(layout)
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
