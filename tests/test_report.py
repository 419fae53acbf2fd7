"""`polefunds report` on a warehouse built from the bundled sample, rendered by headless Chromium.

The pipeline runs against `polefunds mirror` in its own process (stopped by PID); the page is
checked as HTML (nothing loaded from the network, one series per pôle and territory with
funding, the largest grants as in the mart), then rendered and screenshotted by Chromium.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main as cli_main
from pipelines.report import write_report
from pipelines.report.data import Freshness, Grant, QuarantineRule, ReportData, Series
from pipelines.report.french import format_compact_eur, format_date, format_eur
from pipelines.report.page import render_page, safe_href

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def published(published_sample, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The session's published sample and its report, written again by `polefunds report`."""
    layout, _ = published_sample
    page = tmp_path_factory.mktemp("report") / "report.html"
    assert cli_main(["report", "--data-dir", str(layout.root), "--to", str(page)]) == 0
    return layout, page, page.read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the chart (svg data-chart) it sits in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], str | None]] = []
        self.texts: list[str] = []
        self._charts: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "svg":
            self._charts.append(values.get("data-chart"))
        self.tags.append((tag, values, self._charts[-1] if self._charts else None))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._charts:
            self._charts.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def elements(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


def series_by_chart(page: str) -> dict[str, list[str]]:
    """data-series of every <g class="series">, by chart."""
    charts: dict[str, list[str]] = {}
    for tag, attrs, chart in elements(page).tags:
        if tag == "g" and "series" in attrs.get("class", "").split() and chart:
            charts.setdefault(chart, []).append(attrs["data-series"])
    return charts


def funded(path: Path, sql: str) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {row[0] for row in connection.execute(sql).fetchall()}


def poles_and_territories(path: Path) -> tuple[set[str], set[str]]:
    poles = funded(
        path,
        "select pole_id from marts.funding_by_pole_year group by pole_id having sum(amount_eur) > 0",
    )
    territories = funded(
        path,
        "select territory_id from marts.funding_by_territory_year "
        "group by territory_id having sum(amount_eur) > 0",
    )
    return poles, territories


def test_the_page_loads_nothing_from_the_network(published) -> None:  # type: ignore[no-untyped-def]
    layout, _, page = published
    parsed = elements(page)
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        sources = {
            row[0]
            for row in connection.execute("select source_url from marts.counted_grants").fetchall()
        }
    links = []
    for tag, attrs, _ in parsed.tags:
        assert tag not in {"script", "link", "img", "iframe", "object", "embed", "image", "use"}
        assert not {"src", "srcset", "xlink:href", "poster", "data"} & attrs.keys(), (tag, attrs)
        if "href" in attrs:
            assert tag == "a", (tag, attrs)
            links.append(attrs["href"])
        assert "url(" not in attrs.get("style", "")
    assert links and set(links) <= sources  # the only URLs: the acts' PDFs
    without_links = re.sub(r'<a [^>]*href="[^"]*"', "<a", page)
    assert not re.search(r"https?://", without_links)
    assert "@import" not in page and "url(" not in page


def test_one_series_per_pole_and_territory_with_funding(published) -> None:  # type: ignore[no-untyped-def]
    layout, _, page = published
    poles, territories = poles_and_territories(layout.warehouse)
    charts = series_by_chart(page)
    assert sorted(charts) == ["pole-share", "pole-year", "territory-year"]
    assert len(charts["pole-year"]) == len(poles) and set(charts["pole-year"]) == poles
    assert len(charts["pole-share"]) == len(poles) and set(charts["pole-share"]) == poles
    assert len(charts["territory-year"]) == len(territories)
    assert set(charts["territory-year"]) == territories
    assert len(poles) >= 5 and "metropole" in territories
    # Each chart is named for assistive technology.
    svgs = [attrs for tag, attrs, _ in elements(page).tags if tag == "svg"]
    for attrs in svgs:
        assert attrs["role"] == "img"
        title_id, desc_id = attrs["aria-labelledby"].split()
        assert f'<title id="{title_id}">' in page and f'<desc id="{desc_id}">' in page


def test_the_largest_grants_table_matches_the_mart(published) -> None:  # type: ignore[no-untyped-def]
    layout, _, page = published
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        mart = {
            grant_id: (amount, url)
            for grant_id, amount, url in connection.execute(
                "select grant_id, amount_eur, source_url from marts.counted_grants"
            ).fetchall()
        }
    rows = re.findall(
        r'<tr data-grant-id="([^"]+)">.*?<td class="num"><strong>([^<]+)</strong>.*?'
        r'<a class="pdf" href="([^"]+)"',
        page,
    )
    shown = min(20, len(mart))
    assert len(rows) == shown
    largest = sorted((amount for amount, _ in mart.values()), reverse=True)[:shown]
    assert [format_eur(mart[grant_id][0]) for grant_id, _, _ in rows] == [
        format_eur(amount) for amount in largest
    ]
    for grant_id, amount_text, href in rows:
        amount, url = mart[grant_id.replace("&amp;", "&")]
        assert amount_text == format_eur(amount)
        assert href == url
    # The real deliberation of 28 March 2019 grants Optitec 60 000 €.
    assert "60\u202f000\u00a0€" in page and format_date(dt.date(2019, 3, 28)) in page


def test_freshness_and_checks_are_shown(published) -> None:  # type: ignore[no-untyped-def]
    layout, _, page = published
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        latest = connection.execute("select max(session_date) from main.deliberations").fetchone()
        statuses = connection.execute(
            "select parse_status, count(*) from main.documents group by all"
        ).fetchall()
    assert latest and format_date(latest[0]) in page
    for status, count in statuses:
        assert re.search(
            rf'<tr data-parse-status="{status or "none"}"><td>[^<]+</td><td class="num">{count}</td>',
            page,
        )
    assert 'id="quarantine"' in page and 'data-status="ok"' in page
    assert "Entrepôt publié le" in page


def test_chromium_renders_the_charts(published, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image, ImageStat

    chromium = chromium_or_skip()
    layout, page_path, page = published
    poles, territories = poles_and_territories(layout.warehouse)
    profile = tmp_path / "profile"
    url = page_path.resolve().as_uri()
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    charts = series_by_chart(dom)
    assert Counter({name: len(ids) for name, ids in charts.items()}) == Counter(
        {"pole-year": len(poles), "pole-share": len(poles), "territory-year": len(territories)}
    )
    assert dom.count('<tr data-grant-id="') == min(20, page.count('<tr data-grant-id="'))

    screenshot = tmp_path / "report.png"
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={screenshot}",
            "--window-size=1280,2000",
            url,
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert screenshot.exists() and screenshot.stat().st_size > 30_000
    with Image.open(screenshot) as image:
        assert image.size == (1280, 2000)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50  # charts drawn, not a blank page
        spread = ImageStat.Stat(image.convert("RGB")).stddev
        assert all(deviation > 5 for deviation in spread)  # not one colour


def chromium_or_skip() -> str:
    """Debian's chromium, installed with apt-get when missing (CI runs as root)."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if found:
        return found
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            subprocess.run(command, check=True, capture_output=True, timeout=900, env=environment)
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"chromium is missing and `apt-get install chromium` failed: {error}")
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not found:
        pytest.skip("apt-get installed chromium but no chromium executable was found")
    return found


def test_report_path_and_atomic_write(published, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layout, _, _ = published
    target = tmp_path / "out" / "page.html"
    summary = write_report(layout.warehouse, target, top=3)
    assert summary.grants_shown == 3 and target.stat().st_size == summary.bytes
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]  # no temporary file left
    assert cli_main(["report", "--data-dir", str(tmp_path / "nowhere")]) == 2


# Rendering alone, on figures made by hand: what the sample does not contain.


def test_amounts_are_written_the_french_way() -> None:
    assert format_eur(60000) == "60\u202f000\u00a0€"
    assert format_eur(Decimal("15500.50")) == "15\u202f500,50\u00a0€"
    assert format_eur(Decimal("1234567.00")) == "1\u202f234\u202f567\u00a0€"
    assert format_eur(0) == "0\u00a0€"
    assert format_compact_eur(250000) == "250\u00a0k€"
    assert format_compact_eur(1500000) == "1,5\u00a0M€"
    assert format_date(dt.date(2024, 4, 1)) == "1er avril 2024"


def hand_made_report(quarantine: list[QuarantineRule]) -> ReportData:
    return ReportData(
        by_pole=[Series("optitec", "Optitec", {2019: Decimal(60000)}, 7)],
        by_territory=[Series("metropole", "Métropole", {2019: Decimal(60000)}, 999)],
        largest_grants=[
            Grant(
                "X#1",
                "X",
                dt.date(2019, 3, 28),
                "bureau",
                "<b>Pôle</b>",
                "optitec",
                "Optitec",
                "operating",
                Decimal(60000),
                2019,
                "javascript:alert(1)",
                "Objet",
            )
        ],
        pole_grant_count=1,
        freshness=Freshness(
            published_at=dt.datetime(2026, 1, 2, 5, 0, tzinfo=dt.UTC),
            latest_session=dt.date(2019, 3, 28),
            latest_crawl=None,
            deliberations=1,
            documents_by_parse_status=[("ok", 1), ("unreadable", 2), (None, 1)],
            failed_downloads=1,
            quarantine=quarantine,
        ),
    )


def test_quarantine_and_unread_documents_raise_a_warning() -> None:
    rule = QuarantineRule("grants", "amount_plausible", 2, "amount 9e9 is not within 0..", "Y#1")
    page = render_page(hand_made_report([rule]))
    assert 'data-status="warn"' in page and 'data-status="ok"' not in page
    assert '<tr data-check="amount_plausible">' in page and "amount 9e9" in page
    assert "2 lignes en quarantaine" in page and "3 documents non lus" in page
    assert "2 janvier 2026 à 6 h 00" in page  # Paris time
    # A beneficiary's markup is text, and a non-http link is not a link.
    assert "&lt;b&gt;Pôle&lt;/b&gt;" in page and "javascript:" not in page
    assert safe_href("https://deliberations.ampmetropole.fr/a.pdf")
    assert safe_href("javascript:alert(1)") is None and safe_href("/relative.pdf") is None


def test_granted_not_paid_and_what_is_under_review() -> None:
    report = hand_made_report([])
    flagged = dataclasses.replace(report.largest_grants[0], needs_review=True)
    report = dataclasses.replace(
        report,
        largest_grants=[flagged],
        pole_under_review=Decimal(60000),
        acts_awaiting_review=1,
    )
    page = render_page(report)
    assert "Attribué aux pôles" in page and "Versé" not in page
    kpis = re.search(r'<section class="kpis".*?</section>', page, re.S)
    assert kpis and "Dont à vérifier" in kpis.group(0) and format_eur(60000) in kpis.group(0)
    assert "1 acte à vérifier" in page and 'data-status="warn"' in page
    assert 'class="tag review"' in page
    # Nothing under review: no tag, and the figure says so.
    calm = render_page(hand_made_report([]))
    assert 'class="tag review"' not in calm and "acte à vérifier" not in calm
