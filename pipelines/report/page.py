"""The report page: one HTML document, its CSS inline and its charts inline SVG (no script)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pipelines.report import svg
from pipelines.report.data import PARIS, Freshness, Grant, ReportData, Series
from pipelines.report.french import (
    BODIES,
    KINDS,
    PARSE_STATUSES,
    format_date,
    format_datetime,
    format_eur,
    format_percent,
    plural,
)

TITLE = "Subventions de la Métropole Aix-Marseille-Provence aux pôles de compétitivité"

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --paper:#f5f7fa; --card:#fff;
  --accent:#1b6ca8; --ok:#2e7d4f; --ok-bg:#e6f4ec; --warn:#9a5b00; --warn-bg:#fff4e0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; background:var(--paper); color:var(--ink); line-height:1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  font-variant-numeric: tabular-nums; }
.wrap { max-width: 1160px; margin: 0 auto; padding: 0 24px; }
.masthead { background: linear-gradient(120deg, #12355b 0%, #1b6ca8 100%); color:#fff;
  padding: 28px 0 24px; }
.eyebrow { margin:0 0 6px; text-transform:uppercase; letter-spacing:.08em; font-size:12px;
  opacity:.8; }
h1 { margin:0; font-size:28px; line-height:1.2; font-weight:700; max-width: 900px; }
.lede { margin:8px 0 16px; opacity:.9; max-width: 900px; }
.status { display:inline-flex; flex-wrap:wrap; gap:6px 18px; align-items:center;
  background: rgba(255,255,255,.12); border-radius: 8px; padding: 8px 14px; font-size:14px; }
.pill { display:inline-block; border-radius:999px; padding:2px 10px; font-weight:600;
  font-size:13px; }
.pill.ok { background:var(--ok-bg); color:var(--ok); }
.pill.warn { background:var(--warn-bg); color:var(--warn); }
main { padding: 24px 0 8px; }
.kpis { display:grid; grid-template-columns: repeat(4, 1fr); gap:16px; margin-bottom: 20px; }
.kpi { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 18px; }
.kpi .label { color:var(--muted); font-size:13px; }
.kpi .value { font-size:26px; font-weight:700; margin-top:2px; white-space:nowrap; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px;
  padding: 18px 22px 20px; margin-bottom: 20px; }
.card h2 { margin:0 0 4px; font-size:19px; }
.note { margin:0 0 12px; color:var(--muted); font-size:13.5px; max-width: 980px; }
figure { margin:0; }
svg.chart { display:block; width:100%; height:auto; }
svg.chart text { font-family: inherit; }
svg.chart rect:hover { opacity:.85; }
.legend { list-style:none; display:flex; flex-wrap:wrap; gap:6px 18px; margin:10px 0 0;
  padding:0; font-size:13.5px; }
.legend li { display:flex; align-items:center; gap:6px; }
.swatch { width:12px; height:12px; border-radius:3px; display:inline-block; }
.legend .amount { color:var(--muted); }
details { margin-top:12px; font-size:13.5px; }
summary { cursor:pointer; color:var(--accent); }
table { border-collapse:collapse; width:100%; font-size:13.5px; }
th, td { text-align:left; padding:7px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:12.5px; text-transform:uppercase;
  letter-spacing:.03em; background:#fafbfc; }
td.num, th.num { text-align:right; white-space:nowrap; }
tbody tr:hover { background:#f8fafc; }
.tag { display:inline-block; font-size:12px; border-radius:4px; padding:0 6px; margin-left:6px;
  background:#e8f1f8; color:var(--accent); white-space:nowrap; }
.tag.review { background:var(--warn-bg); color:var(--warn); }
.dim { color:var(--muted); }
.objet { min-width: 200px; color:var(--muted); font-size:13px; }
.objet span { display:-webkit-box; -webkit-line-clamp:2; -webkit-box-orient:vertical; overflow:hidden; }
td.when { white-space:nowrap; }
td.when .dim { font-size:12.5px; }
a { color:var(--accent); }
a.pdf { white-space:nowrap; font-weight:600; text-decoration:none; }
a.pdf:hover { text-decoration:underline; }
a.pdf::after { content:"PDF"; font-size:10px; font-weight:700; margin-left:6px; padding:1px 4px;
  border:1px solid currentColor; border-radius:3px; vertical-align:1px; }
.facts { display:grid; grid-template-columns: repeat(3, 1fr); gap:12px 24px; margin: 8px 0 16px; }
.facts div { border-left:3px solid var(--line); padding-left:10px; }
.facts dt { color:var(--muted); font-size:12.5px; }
.facts dd { margin:0; font-weight:600; }
.grid2 { display:grid; grid-template-columns: 1fr 1fr; gap: 20px; }
h3 { font-size:15px; margin: 14px 0 6px; }
footer { color:var(--muted); font-size:12.5px; padding: 4px 0 32px; }
@media (max-width: 800px) { .kpis, .facts, .grid2 { grid-template-columns: 1fr 1fr; } }
@media print { body { background:#fff; } .masthead { background:#12355b;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; } .card { break-inside: avoid; } }
"""


def render_page(report: ReportData, *, generated_at: dt.datetime | None = None) -> str:
    """The whole page as one string."""
    paris = ZoneInfo(PARIS)
    generated = (generated_at or dt.datetime.now(dt.UTC)).astimezone(paris)
    years = report.years
    period = f"{years[0]}–{years[-1]}" if years else "aucune année"
    body = [
        _masthead(report, period, paris),
        '<main class="wrap">',
        _kpis(report, period),
        _pole_section(report, years),
        _territory_section(report, years),
        _grants_section(report.largest_grants),
        _freshness_section(report.freshness, paris),
        "</main>",
        f'<footer class="wrap">Rapport produit par polefunds le {escape(format_datetime(generated))}'
        " (heure de Paris) à partir de l’entrepôt publié <code>warehouse.duckdb</code>. "
        "Montants en euros, tels que votés ; seules comptent les délibérations adoptées, un "
        "avenant remplaçant la subvention qu’il modifie.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(TITLE)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _masthead(report: ReportData, period: str, paris: ZoneInfo) -> str:
    freshness = report.freshness
    latest = format_date(freshness.latest_session) if freshness.latest_session else "aucune séance"
    return (
        '<header class="masthead"><div class="wrap">'
        '<p class="eyebrow">polefunds · rapport</p>'
        f"<h1>{escape(TITLE)}</h1>"
        f'<p class="lede">Années financées {escape(period)}, d’après les délibérations publiées '
        "sur deliberations.ampmetropole.fr, lues, vérifiées et agrégées par polefunds.</p>"
        '<div class="status">'
        f"<span>Publié le <strong>{escape(format_datetime(freshness.published_at.astimezone(paris)))}</strong></span>"
        f"<span>Dernière séance <strong>{escape(latest)}</strong></span>"
        f"{_status_pill(freshness, report.acts_awaiting_review)}</div></div></header>"
    )


def _status_pill(freshness: Freshness, awaiting_review: int = 0) -> str:
    problems = []
    if awaiting_review:
        problems.append(plural(awaiting_review, "acte") + " à vérifier")
    if freshness.quarantined_rows:
        problems.append(plural(freshness.quarantined_rows, "ligne") + " en quarantaine")
    if freshness.documents_not_ok:
        problems.append(plural(freshness.documents_not_ok, "document") + " non lus")
    if freshness.failed_downloads:
        problems.append(plural(freshness.failed_downloads, "téléchargement") + " en échec")
    if not problems:
        return '<span class="pill ok" data-status="ok">Contrôles passés · rien d’écarté</span>'
    return (
        '<span class="pill warn" data-status="warn">Contrôles passés · '
        + escape(", ".join(problems))
        + "</span>"
    )


def _kpis(report: ReportData, period: str) -> str:
    figures = [
        # The acts grant money: what they record is an attribution, not a payment.
        ("Attribué aux pôles", format_eur(report.pole_total)),
        ("Dont à vérifier", format_eur(report.pole_under_review)),
        ("Subventions aux pôles", f"{report.pole_grant_count}"),
        ("Pôles financés", f"{len(report.by_pole)}"),
        ("Années financées", period),
    ]
    cards = "".join(
        f'<div class="kpi"><div class="label">{escape(label)}</div>'
        f'<div class="value">{escape(value)}</div></div>'
        for label, value in figures
    )
    return f'<section class="kpis" aria-label="Chiffres clés">{cards}</section>'


def _legend(series: Sequence[Series]) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{svg.colour(one)}"></span>'
        f'{escape(one.label)} <span class="amount">{escape(format_eur(one.total))}</span></li>'
        for one in series
    )
    return f'<ul class="legend" aria-hidden="true">{items}</ul>'


def _data_table(caption: str, years: Sequence[int], series: Sequence[Series]) -> str:
    head = "".join(f'<th class="num">{year}</th>' for year in years)
    rows = []
    for one in series:
        cells = "".join(
            f'<td class="num">{escape(format_eur(one.amounts[year])) if year in one.amounts else "–"}</td>'
            for year in years
        )
        rows.append(
            f"<tr><td>{escape(one.label)}</td>{cells}"
            f'<td class="num"><strong>{escape(format_eur(one.total))}</strong></td></tr>'
        )
    totals = "".join(
        f'<td class="num">{escape(format_eur(sum((s.amounts.get(y, Decimal(0)) for s in series), Decimal(0))))}</td>'
        for y in years
    )
    grand = sum((s.total for s in series), Decimal(0))
    return (
        f"<details><summary>{escape(caption)} (tableau)</summary>"
        f'<div style="overflow-x:auto"><table><thead><tr><th></th>{head}<th class="num">Total</th></tr></thead>'
        f"<tbody>{''.join(rows)}<tr><td><strong>Total</strong></td>{totals}"
        f'<td class="num"><strong>{escape(format_eur(grand))}</strong></td></tr></tbody></table></div></details>'
    )


def _chart_section(
    section_id: str,
    heading: str,
    note: str,
    chart: str,
    legend: str,
    table: str,
) -> str:
    return (
        f'<section class="card" id="{section_id}" aria-labelledby="{section_id}-h">'
        f'<h2 id="{section_id}-h">{escape(heading)}</h2><p class="note">{note}</p>'
        f"<figure>{chart}{legend}</figure>{table}</section>"
    )


def _empty(text: str) -> str:
    return f'<p class="dim">{escape(text)}</p>'


def _pole_section(report: ReportData, years: Sequence[int]) -> str:
    series = report.by_pole
    if not series:
        return _chart_section(
            "par-pole",
            "Financement par pôle et par année",
            "",
            _empty("Aucun financement."),
            "",
            "",
        )
    heading = "Financement par pôle et par année"
    stacked = svg.stacked_bars(
        "pole-year",
        heading,
        f"Barres empilées par année financée, une couleur par pôle ({len(series)} pôles) ; "
        f"total sur la période {format_eur(report.pole_total)}.",
        years,
        series,
    )
    share_heading = "Part de chaque pôle sur toute la période"
    share = svg.share_bars(
        "pole-share",
        share_heading,
        "Montant total de chaque pôle et sa part du total, du plus financé au moins financé.",
        series,
    )
    note = (
        "Toutes natures de subvention confondues (fonctionnement, investissement, adhésion), "
        "par année budgétaire financée, sous le nom du pôle à la date de la subvention "
        "(une subvention à Optitec reste celle d’Optitec après sa fusion dans SCS en 2024 ; "
        "le mart <code>funding_by_pole_lineage_year</code> suit les fusions)."
    )
    return _chart_section(
        "par-pole",
        heading,
        note,
        stacked,
        _legend(series),
        _data_table("Montants par pôle et par année", years, series),
    ) + _chart_section(
        "parts",
        share_heading,
        f"Sur {plural(report.pole_grant_count, 'subvention')} aux pôles, "
        f"{escape(format_eur(report.pole_total))} au total.",
        share,
        "",
        "",
    )


def _territory_section(report: ReportData, years: Sequence[int]) -> str:
    series = report.by_territory
    heading = "Financement par territoire et par année"
    if not series:
        return _chart_section("par-territoire", heading, "", _empty("Aucun financement."), "", "")
    chart = svg.stacked_bars(
        "territory-year",
        heading,
        f"Barres empilées par année financée, une couleur par territoire imputé "
        f"({len(series)} territoires, la Métropole dans son ensemble en gris).",
        years,
        series,
    )
    note = (
        "Répartition des subventions aux pôles entre les territoires dont le budget les porte "
        "(Conseils de territoire, états spéciaux) ; « Métropole » : imputation sur le budget "
        "de la Métropole dans son ensemble."
    )
    return _chart_section(
        "par-territoire",
        heading,
        note,
        chart,
        _legend(series),
        _data_table("Montants par territoire et par année", years, series),
    )


def safe_href(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (never a javascript: link)."""
    if not url:
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _grants_section(grants: Sequence[Grant]) -> str:
    heading = f"Les {len(grants)} plus grosses subventions"
    if not grants:
        return _chart_section(
            "subventions", "Subventions", "", _empty("Aucune subvention."), "", ""
        )
    rows = []
    for rank, grant in enumerate(grants, start=1):
        href = safe_href(grant.source_url)
        code = escape(grant.deliberation_code)
        act = (
            f'<a class="pdf" href="{escape(href)}" rel="noopener noreferrer" '
            f'title="Délibération {code} (PDF)">{code}</a>'
            if href
            else code
        )
        pole = f'<span class="tag">{escape(grant.pole_name)}</span>' if grant.pole_name else ""
        if grant.needs_review:
            pole += (
                '<span class="tag review" title="Acte signalé pour relecture : montant lu par '
                'le programme, pas encore vérifié">à vérifier</span>'
            )
        body = (
            f'<div class="dim">{escape(BODIES.get(grant.body, grant.body))}</div>'
            if grant.body
            else ""
        )
        title = grant.title or ""
        rows.append(
            f'<tr data-grant-id="{escape(grant.grant_id)}">'
            f'<td class="num dim">{rank}</td>'
            f'<td class="num"><strong>{escape(format_eur(grant.amount_eur))}</strong></td>'
            f"<td>{escape(grant.beneficiary or '–')}{pole}</td>"
            f"<td>{escape(KINDS.get(grant.kind, grant.kind))}</td>"
            f'<td class="num">{grant.funding_year}</td>'
            f'<td class="when">{escape(format_date(grant.session_date))}{body}</td>'
            f"<td>{act}</td>"
            f'<td class="objet" title="{escape(title)}"><span>{escape(title)}</span></td></tr>'
        )
    table = (
        '<div style="overflow-x:auto"><table id="largest-grants">'
        '<caption class="dim" style="caption-side:bottom;text-align:left;padding-top:8px">'
        "Subventions qui comptent (pôles et autres bénéficiaires), de la plus grosse à la "
        "plus petite ; le code de la délibération mène à son PDF sur le portail.</caption>"
        '<thead><tr><th class="num">#</th><th class="num">Montant</th><th>Bénéficiaire</th>'
        '<th>Nature</th><th class="num">Année</th><th>Séance</th>'
        "<th>Délibération</th><th>Objet</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    return (
        '<section class="card" id="subventions" aria-labelledby="subventions-h">'
        f'<h2 id="subventions-h">{escape(heading)}</h2>{table}</section>'
    )


def _freshness_section(freshness: Freshness, paris: ZoneInfo) -> str:
    latest_crawl = (
        format_datetime(freshness.latest_crawl.astimezone(paris)) if freshness.latest_crawl else "–"
    )
    facts = [
        ("Entrepôt publié le", format_datetime(freshness.published_at.astimezone(paris))),
        (
            "Dernière séance",
            format_date(freshness.latest_session) if freshness.latest_session else "–",
        ),
        ("Dernière collecte", latest_crawl),
        ("Délibérations", plural(freshness.deliberations, "délibération")),
        ("Documents", plural(freshness.documents, "document")),
        ("Téléchargements en échec", str(freshness.failed_downloads)),
    ]
    fact_html = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in facts
    )
    total = freshness.documents or 1
    status_rows = "".join(
        f'<tr data-parse-status="{escape(status or "none")}"><td>{escape(PARSE_STATUSES.get(status, status or "–"))}</td>'
        f'<td class="num">{count}</td><td class="num dim">{escape(format_percent(count / total))}</td></tr>'
        for status, count in freshness.documents_by_parse_status
    )
    documents = (
        '<table id="documents-by-status"><thead><tr><th>Documents</th><th class="num">Nombre</th>'
        f'<th class="num">Part</th></tr></thead><tbody>{status_rows}</tbody></table>'
    )
    if freshness.quarantine:
        quarantine_rows = "".join(
            f'<tr data-check="{escape(rule.check_name)}"><td><code>{escape(rule.check_name)}</code>'
            f'<div class="dim">table {escape(rule.table_name)}</div></td>'
            f'<td class="num">{rule.rows}</td><td>{escape(rule.example_reason)}'
            f'<div class="dim">ex. {escape(rule.example_key)}</div></td></tr>'
            for rule in freshness.quarantine
        )
        quarantine = (
            '<table id="quarantine"><thead><tr><th>Règle</th><th class="num">Lignes</th>'
            f"<th>Raison (exemple)</th></tr></thead><tbody>{quarantine_rows}</tbody></table>"
        )
    else:
        quarantine = '<p id="quarantine" class="dim">Aucune ligne écartée.</p>'
    checks = (
        '<p><span class="pill ok">Contrôles bloquants passés</span> '
        "L’entrepôt n’est publié qu’une fois passés tous les contrôles Great Expectations "
        "et tous les tests dbt : ce fichier les a passés. Les lignes qui enfreignent une "
        "règle ne sont pas perdues : elles sont mises en quarantaine, avec leur raison.</p>"
    )
    return (
        '<section class="card" id="fraicheur" aria-labelledby="fraicheur-h">'
        '<h2 id="fraicheur-h">Fraîcheur des données et contrôles</h2>'
        f'<dl class="facts">{fact_html}</dl>{checks}<div class="grid2">'
        f"<div><h3>Documents par état de lecture</h3>{documents}</div>"
        f"<div><h3>Quarantaine : {escape(plural(freshness.quarantined_rows, 'ligne'))}</h3>"
        f"{quarantine}</div></div></section>"
    )
