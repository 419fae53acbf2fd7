"""The published warehouse opens in the DuckDB builds analysts and BI tools have, not only ours.

DuckDB 1.4 (the LTS release Evidence's and Metabase's drivers bundle) and the newest DuckDB CLI
on PyPI, from `make duckdb-clients` (.tools/duckdb-clients/, bi/duckdb-clients/requirements.txt),
read the file `polefunds run` publishes: the marts with the same totals, their comments, the
views; and the CLI answers the queries of docs/analysts.md.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse.duckdb_file import PUBLISHED_STORAGE_VERSION
from tests.conftest import ROOT

CLIENTS = ROOT / ".tools" / "duckdb-clients" / "bin"
OLD_PYTHON = CLIENTS / "python"
CLI = CLIENTS / "duckdb"

pytestmark = pytest.mark.skipif(
    not (OLD_PYTHON.exists() and CLI.exists()),
    reason="the older DuckDB clients are not installed: `make duckdb-clients` (make test does)",
)

# What a reader checks: per mart, rows and total euros; comments; the staging views.
FIGURES = """
    select table_name,
           (select count(*) from duckdb_columns() c
             where c.schema_name = 'marts' and c.table_name = t.table_name
               and c.comment is not null) as described
    from duckdb_tables() t where schema_name = 'marts' order by table_name
"""
TOTALS = {
    "funding_by_pole_year": "select count(*), sum(amount_eur) from marts.funding_by_pole_year",
    "funding_by_territory_year": "select count(*), sum(amount_eur) from marts.funding_by_territory_year",
    "funding_by_pole_territory_year": "select count(*), sum(amount_eur) from marts.funding_by_pole_territory_year",
    "funding_by_pole_lineage_year": "select count(*), sum(amount_eur) from marts.funding_by_pole_lineage_year",
    "counted_grants": "select count(*), sum(amount_eur) from marts.counted_grants",
    "staging view": "select count(*), sum(amount_eur) from staging.stg_polefunds__grants",
}

OLD_READER = textwrap.dedent(
    """
    import json, sys, duckdb
    path, queries, figures = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    with duckdb.connect(path, read_only=True) as connection:
        print(json.dumps({
            "version": duckdb.__version__,
            "totals": {name: [str(v) for v in connection.execute(sql).fetchone()]
                       for name, sql in queries.items()},
            "described": connection.execute(figures).fetchall(),
            "storage": connection.execute(
                "select tags['storage_version'] from duckdb_databases() where not internal "
                "and database_name = current_database()").fetchone()[0],
        }))
    """
)


def current_figures(warehouse: Path) -> dict[str, object]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            "totals": {
                name: [str(v) for v in connection.execute(sql).fetchone() or ()]
                for name, sql in TOTALS.items()
            },
            "described": [list(row) for row in connection.execute(FIGURES).fetchall()],
        }


def test_duckdb_1_4_reads_the_published_marts(sample_warehouse) -> None:  # type: ignore[no-untyped-def]
    warehouse = sample_warehouse.warehouse
    expected = current_figures(warehouse)
    run = subprocess.run(
        [str(OLD_PYTHON), "-c", OLD_READER, str(warehouse), json.dumps(TOTALS), FIGURES],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    old = json.loads(run.stdout)
    assert old["version"].startswith("1.4.")
    assert old["storage"].startswith(PUBLISHED_STORAGE_VERSION)
    assert old["totals"] == expected["totals"]
    assert old["described"] == expected["described"]
    assert all(described > 0 for _, described in old["described"])
    assert Decimal(old["totals"]["counted_grants"][1]) > 0


def cli(warehouse: Path, sql: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The DuckDB CLI, read-only on the warehouse, answering in CSV."""
    return subprocess.run(
        [str(CLI), "-readonly", "-csv", str(warehouse), "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_the_newest_duckdb_cli_on_pypi_answers_the_marts(sample_warehouse) -> None:  # type: ignore[no-untyped-def]
    warehouse = sample_warehouse.warehouse
    version = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("v1.5.")
    expected = current_figures(warehouse)["totals"]
    for name, sql in TOTALS.items():
        run = cli(warehouse, sql)
        assert run.returncode == 0, run.stderr
        rows = list(csv.reader(io.StringIO(run.stdout)))
        assert [str(Decimal(v)) if "." in v else v for v in rows[1]] == expected[name], name


def analysts_queries() -> list[str]:
    """The statements of docs/analysts.md's SQL block."""
    text = (ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    block = re.search(r"```sql\n(.*?)```", text, re.S)
    assert block is not None
    return [s.strip() for s in block.group(1).split(";") if s.strip().strip("-").strip()]


def test_the_analysts_queries_run_in_the_duckdb_cli(sample_warehouse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # As the docs say it: `duckdb -readonly data/warehouse.duckdb`, from the project's folder.
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "warehouse.duckdb").symlink_to(sample_warehouse.warehouse)
    queries = analysts_queries()
    assert len(queries) >= 12
    for sql in queries:
        # every table schema-qualified, so that no client's search path changes the answer
        tables = re.sub(r"extract\([^)]*\)|--[^\n]*", "", sql, flags=re.I)
        for table in re.findall(r"\b(?:from|join)\s+([\w.]+)", tables, re.I):
            assert "." in table or table.startswith(("duckdb_", "(")), (table, sql)
        run = cli(Path("data/warehouse.duckdb"), sql, cwd=tmp_path)
        assert run.returncode == 0 and "Error" not in run.stderr, (sql, run.stderr)
        assert run.stdout.strip(), sql


def test_the_python_recipes_of_the_docs_run(sample_warehouse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """docs/analysts.md's Python blocks, as written, from a folder holding data/ like the
    project's (the warehouse and its exports)."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "warehouse.duckdb").symlink_to(sample_warehouse.warehouse)
    (tmp_path / "data" / "exports").symlink_to(sample_warehouse.root / "exports")
    text = (ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    blocks = [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)```", text, re.S)]
    assert len(blocks) >= 2
    for block in blocks:
        run = subprocess.run(
            [sys.executable, "-c", block + "\nprint(frame.height, frame.columns)"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        assert run.returncode == 0, (block, run.stderr)
        height, columns = run.stdout.split(" ", 1)
        assert int(height) > 0 and "funding_year" in columns, block
