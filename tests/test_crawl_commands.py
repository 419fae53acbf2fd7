"""`polefunds crawl` on the command line: arguments, environment, exit codes, progress."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from crawl_faults import serve, simple_site

from pipelines.cli import main
from pipelines.commands.crawl import BarProgress
from pipelines.crawl.crawler import crawl
from pipelines.crawl.store import Catalogue

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def quick_politeness(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command reads its politeness from the environment: set low for the tests."""
    monkeypatch.setenv("POLEFUNDS_CRAWL_MIN_INTERVAL", "0")
    monkeypatch.setenv("POLEFUNDS_CRAWL_BACKOFF_INITIAL", "0.01")
    monkeypatch.setenv("POLEFUNDS_CRAWL_READ_TIMEOUT", "2")


def test_crawl_then_rerun_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(simple_site(12)) as mirror:
        arguments = ["crawl", "--base-url", mirror.url, "--data-dir", str(tmp_path)]
        assert main([*arguments, "--no-progress"]) == 0
        first = capsys.readouterr().out
        assert main([*arguments, "--no-progress"]) == 0
        second = capsys.readouterr().out
    assert "12 cards (12 new)" in first and "12 documents stored" in first
    assert "2 unchanged" in second and "0 documents stored" in second
    assert len(list((tmp_path / "raw").glob("*.pdf"))) == 12


def test_data_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POLEFUNDS_DATA_DIR", str(tmp_path / "elsewhere"))
    with serve(simple_site(2)) as mirror:
        assert main(["crawl", "--base-url", mirror.url, "--no-progress", "--max-pages", "1"]) == 0
    assert (tmp_path / "elsewhere" / "crawl.sqlite").exists()
    assert str(tmp_path / "elsewhere") in capsys.readouterr().out


def test_a_sick_site_stops_the_crawl_with_exit_code_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POLEFUNDS_CRAWL_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("POLEFUNDS_CRAWL_MAX_CONSECUTIVE_FAILURES", "2")
    site = simple_site(5)
    with serve(site, {path: ["503"] for path in site.documents}) as mirror:
        code = main(["crawl", "--base-url", mirror.url, "--data-dir", str(tmp_path)])
    assert code == 3
    assert "error budget: 2 failures in a row" in capsys.readouterr().err


def test_a_listing_that_cannot_be_read_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POLEFUNDS_CRAWL_MAX_ATTEMPTS", "1")
    with serve(simple_site(3), {"/1": ["503"]}) as mirror:
        code = main(["crawl", "--base-url", mirror.url, "--data-dir", str(tmp_path)])
    assert code == 1
    assert "METROPOLE page 1: HTTP 503" in capsys.readouterr().err


def test_crawl_of_the_bundled_sample_through_an_embedded_mirror(tmp_path: Path) -> None:
    samples = ROOT / "data" / "samples"
    arguments = ["crawl", "--mirror", str(samples), "--mirror-port", "0", "--all-documents"]
    assert main([*arguments, "--data-dir", str(tmp_path / "data")]) == 0
    pdfs = list(samples.glob("*.pdf"))
    with Catalogue(tmp_path / "data" / "crawl.sqlite") as catalogue:
        assert catalogue.counts() == {"cards": len(pdfs), "documents_ok": len(pdfs)}
    stored = {path.stem for path in (tmp_path / "data" / "raw").glob("*.pdf")}
    assert stored == {hashlib.sha256(pdf.read_bytes()).hexdigest() for pdf in pdfs}
    assert "d1a9c537d19e14f37ff31c1c417518f927fe67ba6e91140095f1500e434e4a79" in stored


def test_progress_bars_show_documents_and_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(simple_site(4)) as mirror:
        crawl(mirror.url, data_dir=tmp_path, progress=BarProgress(disable=False))
    err = capsys.readouterr().err
    assert "listing" in err and "documents" in err
    assert "4/4" in err and "B, 0 failed" in err


def test_stats_become_flat_metadata(tmp_path: Path) -> None:
    with serve(simple_site(3)) as mirror:
        stats = crawl(mirror.url, data_dir=tmp_path)
    metadata = stats.as_metadata()
    assert metadata["documents_stored"] == 3 and metadata["listing_errors"] == 0
    assert all(isinstance(value, int | float | str) for value in metadata.values())


def test_a_changed_layout_exits_1_naming_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(simple_site(3), {"/1": ["redesigned"]}) as mirror:
        code = main(["crawl", "--base-url", mirror.url, "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"listing page {mirror.url}/1?domaine=METROPOLE&typeDocument=DELIBERATION" in err
    assert "no card" in err and "the portal's layout may have changed" in err


def test_polefunds_run_on_a_redesigned_portal_exits_1_and_publishes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Listing pages answer 200 in markup the adapter does not know: no silent empty success."""
    published = tmp_path / "warehouse.duckdb"
    published.write_bytes(b"the warehouse published yesterday")
    with serve(simple_site(3), {"/1": ["redesigned"]}) as mirror:
        code = main(["run", "--base-url", mirror.url, "--data-dir", str(tmp_path)])
        paths = mirror.server.paths_seen()
    out = capsys.readouterr().out
    assert code == 1
    failed = next(line for line in out.splitlines() if line.startswith("FAILED"))
    assert f"listing page {mirror.url}/1?domaine=METROPOLE&typeDocument=DELIBERATION" in failed
    assert "the portal's layout may have changed" in failed
    assert "the published warehouse was left as it was" in failed
    assert "loaded:" not in out
    assert published.read_bytes() == b"the warehouse published yesterday"
    assert not [path for path in paths if path.startswith("/documents/")]
