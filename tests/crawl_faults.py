"""A mirror that misbehaves on purpose, on 127.0.0.1 only, for the crawl tests; the evidence."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipelines.crawl.mirror import (
    Mirror,
    MirrorCard,
    MirrorDocument,
    MirrorHandler,
    MirrorSite,
    document_path,
    render_listing,
)
from pipelines.crawl.politeness import CrawlPolicy

ECONOMY = "Economie, Nouvelles Technologies, Enseignement Supérieur"
ROADS = "Cadre de vie, traitement des déchets, eau et assainissement"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ampmetropole"
EVIDENCE = FIXTURES / "evidence"
# The archived listing pages (text copies in EVIDENCE, markup and expected cards in FIXTURES).
EVIDENCE_PAGES = tuple(sorted(path.stem for path in EVIDENCE.glob("*.txt")))

# Politeness set low so the suite is quick; the limits themselves stay on.
FAST = CrawlPolicy(
    min_interval=0.0,
    connect_timeout=2.0,
    read_timeout=1.5,  # far above a loaded machine's answer time; "slow:3" exceeds it
    total_timeout=5.0,
    max_attempts=3,
    backoff_initial=0.01,
    backoff_max=0.05,
    max_retry_after=5.0,
    max_consecutive_failures=50,
    max_failures=500,
)


def pdf_bytes(tag: str, size: int = 0) -> bytes:
    """A small document that passes the PDF checks (magic, end-of-file marker)."""
    filler = b"%" + b"x" * max(0, size - 64) + b"\n" if size else b""
    return b"%PDF-1.4\n% " + tag.encode() + b"\n" + filler + b"trailer <<>>\n%%EOF\n"


def card(
    day: date,
    title: str,
    documents: Sequence[MirrorDocument],
    *,
    commission: str = ECONOMY,
    domaine: str = "METROPOLE",
) -> MirrorCard:
    """A listing card with the given documents."""
    return MirrorCard(
        domaine=domaine,
        session_date=day,
        instance="Bureau de la Métropole",
        commission=commission,
        rapporteur="Madame BÉRENGER Sylvie",
        title=title,
        summary=f"Le Bureau approuve : {title}. Incidence financière : 10 000 euros : budget",
        documents=tuple(documents),
    )


def decision(day: date, number: int, content: bytes, kind: str = "DECISION") -> MirrorDocument:
    """A document in the portal's structure."""
    return MirrorDocument(document_path("METROPOLE", day, kind, number), kind.title(), content)


def simple_site(count: int, *, per_page: int = 10, start: date = date(2021, 1, 4)) -> MirrorSite:
    """count economic cards, one act each, one day apart (newest last in time)."""
    cards = [
        card(
            start + timedelta(days=index),
            f"Subvention numéro {index}",
            [decision(start + timedelta(days=index), 5000 + index, pdf_bytes(f"act {index}"))],
        )
        for index in range(count)
    ]
    return MirrorSite(cards={"METROPOLE": cards, "ct1": []}, per_page=per_page)


# Listing pages a redesigned portal might answer with status 200.
_REDESIGNS = {
    "redesigned": lambda page: page.replace('class="card w-100 mb-3"', 'class="resultat"'),
    "no-count": lambda page: re.sub(r"\d+ résultat\(s\)", "", page),
    "no-dates": lambda page: re.sub(r"Délibération du [\d/]+", "Délibération", page),
    "no-links": lambda page: re.sub(r'<a href="/documents/[^"]*"', '<a href="#"', page),
    "blank": lambda page: "<!DOCTYPE html><html><body><p>Maintenance en cours</p></body></html>",
}


class FaultyHandler(MirrorHandler):
    """Per path, a script of behaviours for its successive hits; the last one repeats.

    Behaviours: ok, any status (404, 500, 503...), 429:<retry-after>, slow:<seconds>,
    redirect:<location>, html (an error page with status 200), truncated (Content-Length,
    then half the body), close-delimited[:<bytes>] (no Content-Length, then the body or its
    first bytes, then the connection closes). On listing pages, a layout the adapter does not
    know, answered with status 200: redesigned (cards in other markup), no-count (the result
    count gone), no-dates (cards without their date), no-links (cards without documents),
    blank (a page without cards nor count).
    """

    faults: Mapping[str, Sequence[str]] = {}
    hits: Counter[str]

    def route(self, *, send_body: bool) -> None:
        """Misbehave where scripted, else serve the site."""
        path = urlsplit(self.path).path
        script = self.faults.get(path)
        if not script:
            super().route(send_body=send_body)
            return
        self.hits[path] += 1
        behaviour = script[min(self.hits[path], len(script)) - 1]
        name, _, argument = behaviour.partition(":")
        if name == "ok":
            super().route(send_body=send_body)
        elif name == "429":
            page = b"<html><body>Trop de requetes</body></html>"
            self.reply(429, page, "text/html", headers=[("Retry-After", argument)])
        elif name.isdigit():
            page = b"<html><body><h1>Erreur</h1></body></html>"
            self.reply(int(name), page, "text/html; charset=utf-8")
        elif name == "slow":
            time.sleep(float(argument))
            super().route(send_body=send_body)
        elif name == "redirect":
            self.reply(302, b"", "text/html", headers=[("Location", argument)])
        elif name in _REDESIGNS:
            query = urlsplit(self.path).query
            domaine = re.search(r"domaine=(\w+)", query)
            page = render_listing(
                self.server.site, domaine.group(1) if domaine else "METROPOLE", int(path[1:])
            )
            self.reply(200, _REDESIGNS[name](page).encode(), "text/html; charset=utf-8")
        elif name == "html":
            page = b"<!DOCTYPE html><html><body>Erreur : document introuvable</body></html>"
            self.reply(200, page, "application/pdf")
        elif name == "truncated":
            content = self._content(path)
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content[: len(content) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif name == "close-delimited":
            content = self._content(path)
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(content[: int(argument)] if argument else content)
            self.wfile.flush()
            self.close_connection = True
        else:
            raise ValueError(f"unknown behaviour {behaviour!r}")

    def _content(self, path: str) -> bytes:
        source = self.server.site.documents[path].source
        return source if isinstance(source, bytes) else source.read_bytes()


@contextmanager
def serve(site: MirrorSite, faults: Mapping[str, Sequence[str]] | None = None) -> Iterator[Mirror]:
    """A running faulty mirror of site on 127.0.0.1 (an ephemeral port)."""
    handler = type(
        "ScriptedHandler", (FaultyHandler,), {"faults": dict(faults or {}), "hits": Counter()}
    )
    with Mirror(site, handler=handler) as mirror:
        yield mirror


def set_faults(mirror: Mirror, faults: Mapping[str, Sequence[str]]) -> None:
    """Change the script of a running mirror (the site mends, or falls ill)."""
    handler: Any = mirror.server.RequestHandlerClass
    assert isinstance(handler, type) and issubclass(handler, FaultyHandler)
    handler.faults = dict(faults)
    handler.hits.clear()


def documents_seen(mirror: Mirror) -> list[str]:
    """The document paths the mirror was asked for, in order."""
    return [path for path in mirror.server.paths_seen() if path.startswith("/documents/")]


def evidence_cards(name: str) -> tuple[str | None, list[list[str]]]:
    """An archived listing page's result count line and its cards, each as its text lines.

    The copies are text only, one line or paragraph a line, blank lines between some; each
    card begins with its "Délibération du" line (a trailing fragment without a date is cut).
    """
    lines = (EVIDENCE / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    text = [line.strip() for line in lines if line.strip()]
    text = [line for line in text if not line.startswith(("SOURCE:", "NOTE:"))]
    count = text.pop(0) if text and re.fullmatch(r"\d+ résultat\(s\)", text[0]) else None
    cards: list[list[str]] = []
    for line in text:
        if line.startswith("Délibération"):
            cards.append([line])
        elif cards:
            cards[-1].append(line)
    return count, [card for card in cards if re.match(r"Délibération du \d", card[0])]
