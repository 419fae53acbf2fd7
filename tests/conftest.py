"""Shared fixtures: paths of the bundled sample and a text-to-record helper."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.parse import parse_content
from pipelines.parse.pdf_text import PdfContent
from pipelines.parse.record import DeliberationRecord
from pipelines.settings import DataLayout

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


@contextlib.contextmanager
def serving_mirror() -> Iterator[str]:
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
    try:
        wait_until_serving(url + "/robots.txt")
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def mirror_url():  # type: ignore[no-untyped-def]
    """A mirror of the bundled sample for one test module."""
    with serving_mirror() as url:
        yield url


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DataLayout:
    """The bundled sample run through the whole pipeline once for the session: the published
    warehouse and its exports, for tests that only read them (BI tools, exports, old clients)."""
    from pipelines import settings
    from pipelines.defs.inprocess import run_pipeline

    layout = settings.layout(tmp_path_factory.mktemp("sample-warehouse"))
    with serving_mirror() as url:
        outcome = run_pipeline(layout, base_url=url, interval=0)
    assert outcome.success, outcome.summary()
    return layout
