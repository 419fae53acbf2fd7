"""`make superset`: Superset serves the marts' dashboard, and its charts' numbers are the marts'.

serve.py (bi/superset/) in Superset's own environment (.tools/superset, `make superset-install`,
which make test runs) on the session's published warehouse, a Superset home of its own, a free
port on 127.0.0.1; started and stopped by its process group. The charts are read through
Superset's REST API, as a person's browser or a script would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.conftest import ROOT, free_port

SUPERSET_PYTHON = ROOT / ".tools" / "superset" / "bin" / "python"
SERVE = ROOT / "bi" / "superset" / "serve.py"

# One server, on one test worker: the tests read the published sample, whose tests share one
# (tests/conftest.py).
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not SUPERSET_PYTHON.exists(),
        reason="Superset is not installed: `make superset-install` (make test does)",
    ),
]


@pytest.fixture(scope="module")
def superset(
    sample_warehouse, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The server's URL and the admin's password; the server stopped by process group."""
    home = tmp_path_factory.mktemp("superset-home")
    port = free_port()
    log = (home / "serve.log").open("w")
    process = subprocess.Popen(
        [
            str(SUPERSET_PYTHON),
            str(SERVE),
            "--warehouse",
            str(sample_warehouse.warehouse),
            "--home",
            str(home),
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, (home / "serve.log").read_text()[-3000:]
            try:
                if httpx.get(f"{url}/health", timeout=2).text == "OK":
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("Superset did not answer within 180 s")
        yield url, (home / "admin-password").read_text().strip()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def marts(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_the_dashboard_charts_equal_the_marts(superset, sample_warehouse) -> None:  # type: ignore[no-untyped-def]
    url, password = superset
    warehouse = sample_warehouse.warehouse
    login = httpx.post(
        f"{url}/api/v1/security/login",
        json={"username": "admin", "password": password, "provider": "db", "refresh": False},
    )
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    charts = httpx.get(f"{url}/api/v1/dashboard/polefunds/charts", headers=headers).json()
    names = {chart["slice_name"]: chart["id"] for chart in charts["result"]}
    assert len(names) == 4

    def data(title_start: str) -> list[dict[str, object]]:
        chart = next(i for name, i in names.items() if name.startswith(title_start))
        answer = httpx.get(f"{url}/api/v1/chart/{chart}/data/", headers=headers, timeout=60)
        answer.raise_for_status()
        return answer.json()["result"][0]["data"]  # type: ignore[no-any-return]

    for title, sql, series, metric in (
        (
            "Subventions par pôle",
            "select funding_year, pole_name, sum(amount_eur) from marts.funding_by_pole_year "
            "group by all",
            "pole_name",
            "euros",
        ),
        (
            "Par territoire",
            "select funding_year, territory_name, sum(amount_eur) "
            "from marts.funding_by_territory_year group by all",
            "territory_name",
            "euros",
        ),
        (
            "Dont à vérifier",
            "select funding_year, pole_name, sum(amount_under_review_eur) "
            "from marts.funding_by_pole_year group by all",
            "pole_name",
            "euros_under_review",
        ),
    ):
        shown = sorted(
            (row["funding_year"], row[series], Decimal(str(row[metric]))) for row in data(title)
        )
        assert shown == sorted(marts(warehouse, sql)), title
        # the sample's acts are all vouched for: nothing under review, every other figure > 0
        assert (sum(amount for *_, amount in shown) > 0) == (title != "Dont à vérifier")

    largest = data("Les plus grosses")
    expected = marts(
        warehouse,
        "select amount_eur, beneficiary, deliberation_code from marts.counted_grants "
        "order by amount_eur desc",
    )
    assert [Decimal(str(row["amount_eur"])) for row in largest] == [a for a, _, _ in expected][:20]
    assert {
        (Decimal(str(row["amount_eur"])), row["beneficiary"], row["deliberation_code"])
        for row in largest
    } <= set(expected)


def test_visitors_see_the_dashboard_and_cannot_write(superset, sample_warehouse) -> None:  # type: ignore[no-untyped-def]
    url, password = superset
    page = httpx.get(f"{url}/superset/dashboard/polefunds/")
    assert page.status_code == 200 and "/login" not in str(page.url)
    anonymous = httpx.get(f"{url}/api/v1/dashboard/polefunds/charts")
    assert anonymous.status_code == 200 and len(anonymous.json()["result"]) == 4
    assert httpx.get(f"{url}/api/v1/database/").json().get("count", 0) <= 1

    # Even the admin's SQL Lab cannot write: the database refuses DML, the file is read-only.
    with httpx.Client(base_url=url) as client:
        token = client.post(
            "/api/v1/security/login",
            json={"username": "admin", "password": password, "provider": "db", "refresh": False},
        ).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        client.headers["X-CSRFToken"] = client.get("/api/v1/security/csrf_token/").json()["result"]
        client.headers["Referer"] = url
        database = client.get("/api/v1/database/").json()["result"][0]["id"]

        def run(sql: str) -> dict[str, object]:
            return client.post(  # type: ignore[no-any-return]
                "/api/v1/sqllab/execute/",
                json={"database_id": database, "sql": sql, "runAsync": False, "schema": "marts"},
            ).json()

        counted = run("select count(*) as n from marts.counted_grants")
        (expected,) = marts(sample_warehouse.warehouse, "select count(*) from marts.counted_grants")
        assert counted["data"] == [{"n": expected[0]}]
        refused = run("create table marts.scratch as select 1 as x")
        assert "data" not in refused and "DDL/DML" in str(refused)
