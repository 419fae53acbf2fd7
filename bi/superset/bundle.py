"""The Superset import bundle of the polefunds dashboard, made from dashboard.yaml.

A bundle is what Superset's "import assets" takes: YAML files for the database (the published
warehouse, read-only), one dataset per mart a chart uses (columns and descriptions read from
the warehouse's COMMENTs, a saved metric `euros`), one chart per entry, and the dashboard's
layout. UUIDs derive from the entries' ids, so importing again replaces rather than adds.

Runs in Superset's environment (PyYAML and DuckDB there); `python bundle.py WAREHOUSE DIR`
writes the bundle as files, for a look or for `superset import-assets` by hand.
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

HERE = Path(__file__).resolve().parent
DASHBOARD = HERE / "dashboard.yaml"
DATABASE_NAME = "polefunds"
NAMESPACE = uuid.UUID("7d1d1f0e-4c3b-5a43-9b0a-2f0c5b1e6a11")  # polefunds' own, fixed
VERSION = "1.0.0"
GRID_COLUMNS = 12
DATE_TYPES = ("DATE", "TIMESTAMP")


def uid(*parts: str) -> str:
    """A stable UUID for one asset."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def load_spec(path: Path = DASHBOARD) -> dict[str, Any]:
    """The dashboard's declarative entries."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def describe(warehouse: Path, tables: list[str]) -> dict[str, dict[str, Any]]:
    """For each `schema.table`, its description and columns (name, type, description)."""
    described: dict[str, dict[str, Any]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for table in tables:
            schema, name = table.split(".")
            comment = connection.execute(
                "select comment from duckdb_tables() where schema_name = ? and table_name = ?",
                [schema, name],
            ).fetchone()
            if comment is None:
                raise ValueError(f"{table} is not in {warehouse}")
            columns = connection.execute(
                "select column_name, data_type, comment from duckdb_columns() "
                "where schema_name = ? and table_name = ? order by column_index",
                [schema, name],
            ).fetchall()
            described[table] = {"description": comment[0], "columns": columns}
    return described


def database(warehouse: Path) -> dict[str, Any]:
    """The warehouse as a Superset database: read-only, SQL Lab on, no writes of any kind."""
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": f"duckdb:///{warehouse.resolve()}",
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        "extra": {
            # Each query opens the file anew (Superset's NullPool): after a run publishes, the
            # next query reads the new warehouse.
            "engine_params": {"connect_args": {"read_only": True}},
            "allows_virtual_table_explore": True,
        },
        "uuid": uid("database", DATABASE_NAME),
        "version": VERSION,
    }


def dataset(table: str, description: dict[str, Any]) -> dict[str, Any]:
    """One mart as a Superset dataset, every column described as in the warehouse."""
    schema, name = table.split(".")
    names = [column for column, _, _ in description["columns"]]
    metrics = [
        {
            "metric_name": "count",
            "verbose_name": "lignes",
            "expression": "COUNT(*)",
            "description": "Number of rows",
        }
    ]
    for column, metric in SUMS.items():
        if column in names:
            metrics.append(
                {
                    "metric_name": metric,
                    "verbose_name": metric.replace("_", " "),
                    "expression": f"SUM({column})",
                    "description": f"Sum of {column}, euros",
                    "d3format": ",.0f",
                }
            )
    return {
        "table_name": name,
        "schema": schema,
        "description": description["description"],
        "main_dttm_col": None,
        "filter_select_enabled": True,
        "columns": [
            {
                "column_name": column,
                "type": dtype,
                "description": comment,
                "is_dttm": dtype.upper().startswith(DATE_TYPES),
                "groupby": True,
                "filterable": True,
            }
            for column, dtype, comment in description["columns"]
        ],
        "metrics": metrics,
        "uuid": uid("dataset", table),
        "database_uuid": uid("database", DATABASE_NAME),
        "version": VERSION,
    }


# The columns a chart may sum, and the saved metric that sums each.
SUMS = {"amount_eur": "euros", "amount_under_review_eur": "euros_under_review"}


def _metric(column: str) -> str:
    """The saved metric that sums a column (`euros` for amount_eur)."""
    if column not in SUMS:
        raise ValueError(f"no saved metric sums {column}: add one to SUMS")
    return SUMS[column]


def _query(
    columns: list[str], metrics: list[str], orderby: list[list[Any]], limit: int
) -> dict[str, Any]:
    return {
        "columns": columns,
        "metrics": metrics,
        "orderby": orderby,
        "row_limit": limit,
        "filters": [],
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "annotation_layers": [],
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
    }


def stacked_bars(entry: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Bars by `x`, stacked by `series`, of the sum of `sum`."""
    metric = _metric(entry["sum"])
    params = {
        "viz_type": "echarts_timeseries_bar",
        "x_axis": entry["x"],
        "xAxisForceCategorical": True,
        "groupby": [entry["series"]],
        "metrics": [metric],
        "stack": "Stack",
        "orientation": "vertical",
        "adhoc_filters": [],
        "row_limit": 10000,
        "order_desc": True,
        "show_legend": True,
        "legendType": "scroll",
        "legendOrientation": "top",
        "rich_tooltip": True,
        "y_axis_format": ",.0f",
        "x_axis_title": entry["x"],
        "x_axis_title_margin": 30,
        "color_scheme": "supersetColors",
    }
    query = _query([entry["x"], entry["series"]], [metric], [[entry["x"], True]], 10000)
    query["series_columns"] = [entry["series"]]
    return "echarts_timeseries_bar", params, query


def table(entry: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The rows of the dataset, `columns` of them, in `order_by`, `limit` at most."""
    column, _, direction = entry["order_by"].partition(" ")
    ascending = direction.strip().lower() != "desc"
    params = {
        "viz_type": "table",
        "query_mode": "raw",
        "all_columns": entry["columns"],
        "order_by_cols": [json.dumps([column, ascending])],
        "row_limit": entry["limit"],
        "server_pagination": False,
        "adhoc_filters": [],
        "table_timestamp_format": "%Y-%m-%d",
        "show_cell_bars": False,
        "include_search": True,
        "column_config": {"amount_eur": {"d3NumberFormat": ",.0f"}},
    }
    query = _query(entry["columns"], [], [[column, ascending]], entry["limit"])
    return "table", params, query


KINDS = {"stacked_bars": stacked_bars, "table": table}


def chart(entry: dict[str, Any]) -> dict[str, Any]:
    """One entry of dashboard.yaml as a Superset chart, with the query its data endpoint runs."""
    viz_type, params, query = KINDS[entry["kind"]](entry)
    dataset_uuid = uid("dataset", entry["dataset"])
    query_context = {
        "datasource": {"id": 0, "type": "table"},  # set to the dataset's id on import
        "force": False,
        "queries": [query],
        "form_data": {**params, "datasource": "0__table"},
        "result_format": "json",
        "result_type": "full",
    }
    return {
        "slice_name": entry["title"],
        "description": entry.get("description"),
        "viz_type": viz_type,
        "params": params,
        "query_context": json.dumps(query_context),
        "cache_timeout": None,
        "uuid": uid("chart", entry["id"]),
        "version": VERSION,
        "dataset_uuid": dataset_uuid,
    }


def dashboard(spec: dict[str, Any]) -> dict[str, Any]:
    """The layout: charts in rows of 12 columns, in the order of the entries."""
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": spec["title"]}},
    }
    rows: list[list[dict[str, Any]]] = [[]]
    for entry in spec["charts"]:
        if sum(e.get("width", 6) for e in rows[-1]) + entry.get("width", 6) > GRID_COLUMNS:
            rows.append([])
        rows[-1].append(entry)
    chart_number = 0
    for index, row in enumerate(rows):
        row_id = f"ROW-{index}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for entry in row:
            chart_number += 1
            chart_id = f"CHART-{entry['id']}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "type": "CHART",
                "id": chart_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "chartId": chart_number,  # replaced by the imported chart's id
                    "uuid": uid("chart", entry["id"]),
                    "sliceName": entry["title"],
                    "width": entry.get("width", 6),
                    "height": entry.get("height", 50),
                },
            }
    return {
        "dashboard_title": spec["title"],
        "slug": spec["slug"],
        "description": None,
        "css": "",
        "published": True,
        "position": position,
        "metadata": {"color_scheme": "supersetColors", "refresh_frequency": 0},
        "uuid": uid("dashboard", spec["slug"]),
        "version": VERSION,
    }


def bundle(warehouse: Path, spec: dict[str, Any] | None = None) -> dict[str, str]:
    """The import bundle: file name -> YAML text."""
    spec = spec or load_spec()
    tables = sorted({entry["dataset"] for entry in spec["charts"]})
    described = describe(warehouse, tables)
    files: dict[str, Any] = {
        "metadata.yaml": {
            "version": VERSION,
            "type": "assets",
            "timestamp": datetime.now(UTC).isoformat(),
        },
        f"databases/{DATABASE_NAME}.yaml": database(warehouse),
    }
    for name in tables:
        files[f"datasets/{DATABASE_NAME}/{name}.yaml"] = dataset(name, described[name])
    for entry in spec["charts"]:
        files[f"charts/{entry['id']}.yaml"] = chart(entry)
    files[f"dashboards/{spec['slug']}.yaml"] = dashboard(spec)
    return {
        name: yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
        for name, content in files.items()
    }


if __name__ == "__main__":
    warehouse, target = Path(sys.argv[1]), Path(sys.argv[2])
    for name, text in bundle(warehouse).items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
        print(target / name)
