"""Shared fixtures: paths of the bundled sample and a text-to-record helper."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.parse import parse_content
from pipelines.parse.pdf_text import PdfContent
from pipelines.parse.record import DeliberationRecord

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


def wait_until_serving(url: str, seconds: float = 10.0) -> None:
    """Wait for a server started in another process to answer url (a local address)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


@pytest.fixture(scope="session")
def mirror_url():  # type: ignore[no-untyped-def]
    """`polefunds mirror` of the bundled sample, in its own process on 127.0.0.1, stopped by PID."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipelines.cli",
            "mirror",
            "--dir",
            str(SAMPLES),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url + "/robots.txt")
    yield url
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


def run_ingestion_on(data_dir: Path | str, base_url: str, rebuild: bool = False):  # type: ignore[no-untyped-def]
    """The ingestion job (what the schedule and `polefunds run` run) on a data folder, crawling
    base_url with no politeness delay; its summary."""
    from pipelines.defs.resources import PolefundsConfig, StoreResource
    from pipelines.defs.run import run_ingestion

    return run_ingestion(
        StoreResource(data_dir=str(data_dir)),
        PolefundsConfig(base_url=base_url, crawl_interval=0),
        rebuild=rebuild,
    )


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
