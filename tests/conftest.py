"""Shared fixtures: paths of the bundled sample and a text-to-record helper."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.parse import parse_content
from pipelines.parse.pdf_text import PdfContent
from pipelines.parse.record import DeliberationRecord
from pipelines.settings import DataLayout

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_itemcollected(item: pytest.Item) -> None:
    """The tests that read the session's published sample share one test worker: the sample is
    then run through the pipeline once, not once per worker (its module fixtures too: the
    Superset server, the exports)."""
    if "published_sample" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.xdist_group("published-sample"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The `slow` tests first (whole pipeline runs, servers): the test workers take the long
    ones while short work is left to even out their ends, not after it.

    `make test` runs on test workers with `--dist loadgroup`: the tests of an `xdist_group`
    share one worker and its module fixtures (a pipeline run, a server). pytest-xdist marks them
    by rewriting their nodeid, which some pytest versions ignore (9.2): then stop, rather than
    run every shared fixture once per worker in silence."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            raise pytest.UsageError(
                f"{item.nodeid}: its xdist_group was not applied (pytest {pytest.__version__} "
                "with this pytest-xdist): pin a pytest both agree on (pyproject.toml)"
            )


def record_of_text(text: str, tables: list | None = None) -> DeliberationRecord:
    """The record the parser makes of a text layer (one page), without a PDF."""
    return parse_content(PdfContent(pages=[text], tables=tables or []), "literal.pdf", "0" * 64)


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, seconds: float = 120.0) -> None:
    """Wait for a server started in another process to answer url (a local address); a busy
    machine may take long to start it: fail only after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {seconds:g} s")


@pytest.fixture(scope="session")
def sample_mirror():  # type: ignore[no-untyped-def]
    """The bundled sample served as the portal on 127.0.0.1 by a mirror running in this process,
    for the session: its access log tells which documents each run fetched."""
    from pipelines.crawl.mirror import Mirror, load_site

    with Mirror(load_site(SAMPLES)) as running:
        yield running


@pytest.fixture(scope="session")
def mirror_url(sample_mirror) -> str:  # type: ignore[no-untyped-def]
    """The sample mirror's URL."""
    return str(sample_mirror.url)


def run_ingestion_on(data_dir: Path | str, base_url: str, rebuild: bool = False):  # type: ignore[no-untyped-def]
    """The ingestion job (what the schedule and `polefunds run` run) on a data folder, crawling
    base_url with no politeness delay; its summary.

    GX is imported here first, once per test process: the runs then validate in this process
    instead of starting a checking process each (pipelines/defs/resources.py, QualityChecks).
    The checking process is what `polefunds run` uses: the tests that run the command (killed
    runs, S3, the redesigned portal) and tests/test_pipeline.py's warm-process test cover it.
    """
    import great_expectations  # noqa: F401

    from pipelines.defs.resources import PolefundsConfig, StoreResource
    from pipelines.defs.run import run_ingestion

    return run_ingestion(
        StoreResource(data_dir=str(data_dir)),
        PolefundsConfig(base_url=base_url, crawl_interval=0),
        rebuild=rebuild,
    )


def copy_of(layout: DataLayout, target: Path) -> DataLayout:
    """A data folder copied to `target`, for a test that changes it (the original is shared)."""
    import shutil

    from pipelines import settings

    copy = settings.layout(target)
    shutil.copytree(layout.root, copy.root)
    return copy


@pytest.fixture(scope="session")
def published_sample(mirror_url: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The bundled sample through the whole ingestion job, once for the session: (layout,
    summary). Shared by every module that reads a published warehouse: read it, never change it
    (copy its folder first)."""
    from pipelines import settings

    layout = settings.layout(tmp_path_factory.mktemp("published-sample"))
    summary = run_ingestion_on(layout.root, mirror_url)
    assert summary.success, summary.text()
    return layout, summary


@pytest.fixture(scope="session")
def sample_warehouse(published_sample) -> DataLayout:  # type: ignore[no-untyped-def]
    """The session's published sample: its folder (warehouse, exports, report), to read only."""
    layout, _ = published_sample
    return layout
