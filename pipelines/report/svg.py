"""Inline SVG charts, drawn in Python: stacked bars by year and horizontal share bars.

Each series is a `<g class="series" data-series="ID">`, each chart an `<svg role="img">` whose
`<title>` and `<desc>` name it, so that both readers and tests can find what is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from pipelines.report.data import METROPOLE, Series
from pipelines.report.french import format_compact_eur, format_eur, format_percent

# Distinct for the usual colour blindnesses in their first eight; chosen by the series' rank
# in its reference table, so a pôle keeps its colour from one report to the next.
PALETTE = (
    "#1b6ca8",
    "#e8833a",
    "#2e9e6b",
    "#c8414b",
    "#7b5ea7",
    "#d4a72c",
    "#3fb0c9",
    "#9c6644",
    "#d16ba5",
    "#6b8e23",
    "#46627f",
    "#b35c1e",
)
NEUTRAL = "#8a99ab"

WIDTH = 1080
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"


def colour(series: Series) -> str:
    """The series' colour: the Métropole as a whole in grey, others by reference rank."""
    if series.series_id == METROPOLE:
        return NEUTRAL
    return PALETTE[(series.rank - 1) % len(PALETTE)]


def nice_scale(maximum: float, ticks: int = 5) -> tuple[float, float]:
    """(top, step) of an axis from 0 that holds maximum in about `ticks` round steps."""
    if maximum <= 0:
        return 1.0, 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.ceil(maximum / step) * step, step


def _attrs(**values: object) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in values.items()
    )


def _open_svg(chart_id: str, title: str, description: str, height: float) -> list[str]:
    return [
        f"<svg {_attrs(viewBox=f'0 0 {WIDTH} {height:.0f}', role='img', class_='chart')}"
        f" {_attrs(data_chart=chart_id, aria_labelledby=f'{chart_id}-title {chart_id}-desc')}"
        ' preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def stacked_bars(
    chart_id: str,
    title: str,
    description: str,
    years: Sequence[int],
    series: Sequence[Series],
    *,
    height: float = 400,
) -> str:
    """Bars by year, one stacked segment per series (the first series at the bottom)."""
    left, right, top, bottom = 78.0, 16.0, 30.0, 40.0
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    totals = {
        year: sum((s.amounts.get(year, Decimal(0)) for s in series), Decimal(0)) for year in years
    }
    axis_top, step = nice_scale(float(max(totals.values(), default=0)))
    band = plot_width / max(len(years), 1)
    bar = min(band * 0.64, 72.0)

    def y(value: float) -> float:
        return top + plot_height * (1 - value / axis_top)

    parts = _open_svg(chart_id, title, description, height)
    parts.append('<g class="axis" aria-hidden="true">')
    tick = 0.0
    while tick <= axis_top + step / 2:
        parts.append(
            f"<line {_attrs(x1=left, x2=WIDTH - right, y1=f'{y(tick):.1f}', y2=f'{y(tick):.1f}')}"
            f' stroke="{INK if tick == 0 else GRID}" stroke-width="1"/>'
            f'<text {_attrs(x=left - 8, y=f"{y(tick) + 4:.1f}")} text-anchor="end" font-size="12"'
            f' fill="{MUTED}">{escape(format_compact_eur(tick))}</text>'
        )
        tick += step
    for index, year in enumerate(years):
        centre = left + band * (index + 0.5)
        parts.append(
            f'<text {_attrs(x=f"{centre:.1f}", y=height - bottom + 20)} text-anchor="middle"'
            f' font-size="13" fill="{INK}">{year}</text>'
        )
    parts.append("</g>")

    base = {year: 0.0 for year in years}
    for one in series:
        parts.append(
            f"<g {_attrs(class_='series', data_series=one.series_id, data_label=one.label)}"
            f' fill="{colour(one)}" stroke="#ffffff" stroke-width="1">'
        )
        for index, year in enumerate(years):
            amount = one.amounts.get(year, Decimal(0))
            if amount <= 0:
                continue
            x = left + band * index + (band - bar) / 2
            upper = y(base[year] + float(amount))
            segment = y(base[year]) - upper
            base[year] += float(amount)
            parts.append(
                f"<rect {_attrs(x=f'{x:.1f}', y=f'{upper:.1f}', width=f'{bar:.1f}', height=f'{segment:.1f}')}>"
                f"<title>{escape(f'{one.label}, {year} : {format_eur(amount)}')}</title></rect>"
            )
        parts.append("</g>")

    parts.append('<g class="totals" aria-hidden="true">')
    for index, year in enumerate(years):
        if totals[year] > 0:
            centre = left + band * (index + 0.5)
            parts.append(
                f"<text {_attrs(x=f'{centre:.1f}', y=f'{y(float(totals[year])) - 7:.1f}')}"
                f' text-anchor="middle" font-size="12" font-weight="600" fill="{INK}">'
                f"{escape(format_compact_eur(totals[year]))}</text>"
            )
    parts.append("</g></svg>")
    return "".join(parts)


def share_bars(chart_id: str, title: str, description: str, series: Sequence[Series]) -> str:
    """One horizontal bar per series: its share of the total over the whole period."""
    label_width, value_width, row, top = 230.0, 190.0, 34.0, 8.0
    height = top * 2 + row * max(len(series), 1)
    total = sum((s.total for s in series), Decimal(0))
    largest = max((s.total for s in series), default=Decimal(0))
    span = WIDTH - label_width - value_width
    parts = _open_svg(chart_id, title, description, height)
    for index, one in enumerate(sorted(series, key=lambda s: (-s.total, s.series_id))):
        middle = top + row * (index + 0.5)
        length = span * float(one.total / largest) if largest else 0.0
        share = float(one.total / total) if total else 0.0
        value = f"{format_eur(one.total)}  ·  {format_percent(share)}"
        parts.append(
            f"<g {_attrs(class_='series', data_series=one.series_id, data_label=one.label)}>"
            f'<text {_attrs(x=label_width - 12, y=f"{middle + 5:.1f}")} text-anchor="end"'
            f' font-size="14" fill="{INK}">{escape(one.label)}</text>'
            f"<rect {_attrs(x=label_width, y=f'{middle - 11:.1f}', width=f'{max(length, 1.5):.1f}', height=22, rx=3)}"
            f' fill="{colour(one)}"><title>{escape(f"{one.label} : {value}")}</title></rect>'
            f"<text {_attrs(x=f'{label_width + length + 10:.1f}', y=f'{middle + 5:.1f}')}"
            f' font-size="13" fill="{MUTED}">{escape(value)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
