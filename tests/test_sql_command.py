"""`polefunds sql`: read-only SQL on the published warehouse, in three formats; writes refused."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from tests.conftest import ROOT


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.funding_by_pole_year as select * from (values "
            "('optitec', 'Optitec', 2019, 'operating', 60000.00::decimal(14,2), 1), "
            "('scs', 'SCS', 2019, 'operating', 45000.00::decimal(14,2), 1)) "
            "as t(pole_id, pole_name, funding_year, kind, amount_eur, grant_count)"
        )
    return path


def sql(warehouse: Path, statement: str, *options: str) -> subprocess.CompletedProcess[str]:
    """`polefunds sql` run here (the command's own code, its exit code and its output)."""
    argv = ["sql", statement, "--warehouse", str(warehouse), *options]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def test_select_in_three_formats(warehouse: Path) -> None:
    query = "select pole_id, amount_eur from marts.funding_by_pole_year order by pole_id"
    table = sql(warehouse, query)
    assert table.returncode == 0, table.stderr
    assert "optitec" in table.stdout and "(2 rows)" in table.stdout
    csv = sql(warehouse, query, "--format", "csv")
    assert csv.stdout.splitlines() == ["pole_id,amount_eur", "optitec,60000.00", "scs,45000.00"]
    rows = json.loads(sql(warehouse, query, "--format", "json").stdout)
    assert [row["pole_id"] for row in rows] == ["optitec", "scs"]


@pytest.mark.parametrize(
    "statement",
    [
        "drop table marts.funding_by_pole_year",
        "insert into marts.funding_by_pole_year values ('x', 'X', 2020, 'other', 1, 1)",
        "copy marts.funding_by_pole_year to '/tmp/polefunds-leak.csv'",
        "attach '/tmp/polefunds-other.duckdb' as other",
        "select * from read_csv('/etc/passwd')",
        "install httpfs",
        "set enable_external_access = true",
        "select 1; drop table marts.funding_by_pole_year",
    ],
)
def test_writes_and_file_access_are_refused(warehouse: Path, statement: str) -> None:
    result = sql(warehouse, statement)
    assert result.returncode == 2
    assert result.stderr.startswith("polefunds sql: ")
    assert (
        ("read-only" in result.stderr)
        or ("refused" in result.stderr)
        or ("one statement" in result.stderr)
    )
    assert not Path("/tmp/polefunds-leak.csv").exists()
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.funding_by_pole_year").fetchone() == (
            2,
        )


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    """Through the console command, in a process of its own."""
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "sql", "select 1", "--warehouse",
         str(tmp_path / "none.duckdb")],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 2
    assert "run `polefunds run` first" in result.stderr
