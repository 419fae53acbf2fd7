"""A local mirror of deliberations.ampmetropole.fr: a folder of PDFs in the portal's shape."""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from pipelines.crawl.ampmetropole import DOMAINES

HOST = "127.0.0.1"
DEFAULT_PER_PAGE = 10
DEFAULT_ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /recherche/export\n"
# The Métropole was created on 1 January 2016; earlier acts are Marseille Provence Métropole's.
METROPOLE_START = date(2016, 1, 1)
COMMISSIONS = {
    "ECO": (
        "Développement économique, Enseignement supérieur, Recherche, Attractivité internationale"
    ),
    "DEVT": "Développement économique, Attractivité et Emploi",
    "ECOR": "Économie, Enseignement supérieur, Recherche et Relations internationales",
    "EMP": "Emploi, Insertion et Formation professionnelle",
    "FAG": "Finances, Budget et Administration générale",
    "URB": "Urbanisme et Aménagement du territoire",
    "MOB": "Transports, Mobilité et Déplacements",
    "VOI": "Voirie, Espace public et Pluvial",
    "ENV": "Environnement, Agriculture et Forêt",
    "CHL": "Cohésion sociale, Habitat et Logement",
}
DEFAULT_COMMISSION = "Affaires générales et Ressources humaines"
RAPPORTEURS = (
    "Monsieur Jean-Marc ARNAUD",
    "Madame Sylvie BÉRENGER",
    "Monsieur Éric CASTELLANI",
    "Madame Hélène DUCHÊNE",
    "Monsieur François GIRAUD",
)
_FILE_NAME = re.compile(r"^(?P<body>bm|cm)-(?P<date>\d{4}-\d{2}-\d{2})-(?P<rest>.+)$")
_COMPANION = re.compile(r"^(?P<stem>.+)\.(?P<kind>annexe|rapport)(?:-\d+)?$")


@dataclass(frozen=True)
class MirrorDocument:
    """A document of a card: its path on the mirror, its caption, its bytes (or file)."""

    path: str
    label: str
    source: Path | bytes


@dataclass(frozen=True)
class MirrorCard:
    """One listing card as the portal shows it."""

    domaine: str
    session_date: date
    instance: str
    commission: str
    rapporteur: str
    title: str
    summary: str
    documents: tuple[MirrorDocument, ...]


@dataclass
class MirrorSite:
    """What the mirror serves: cards per domaine (newest first), documents, robots.txt."""

    cards: dict[str, list[MirrorCard]]
    per_page: int = DEFAULT_PER_PAGE
    robots_txt: str = DEFAULT_ROBOTS
    documents: dict[str, MirrorDocument] = field(default_factory=dict)
    # False: behave like a server that ignores conditional requests (no ETag, never 304).
    etags: bool = True

    def __post_init__(self) -> None:
        for domaine, cards in self.cards.items():
            cards.sort(key=lambda card: card.session_date, reverse=True)
            for card in cards:
                for document in card.documents:
                    self.documents.setdefault(document.path, document)
            self.cards[domaine] = cards

    def page_cards(self, domaine: str, page: int) -> list[MirrorCard]:
        """The cards of one listing page; [] past the end."""
        start = (page - 1) * self.per_page
        return self.cards.get(domaine, [])[start : start + self.per_page]

    def pages(self, domaine: str) -> int:
        """How many listing pages domaine has."""
        return -(-len(self.cards.get(domaine, [])) // self.per_page)


def document_path(domaine: str, session_date: date, kind: str, number: int) -> str:
    """A document's path in the portal's structure."""
    authority = "metropole" if domaine == "METROPOLE" else domaine.lower()
    return f"/documents/{authority}/deliberations/{session_date:%Y/%m/%d}/{kind}/{number}.pdf"


def document_number(name: str) -> int:
    """A stable number for a document, from its file name (the portal's are integers)."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:12], 16) % 10**9


def load_site(folder: Path, *, per_page: int = DEFAULT_PER_PAGE) -> MirrorSite:
    """The mirror of a folder of PDFs; `<stem>.expected.json` beside a PDF gives its card."""
    pdfs = sorted(folder.glob("*.pdf"))
    companions: dict[str, list[Path]] = {}
    acts: list[Path] = []
    for pdf in pdfs:
        match = _COMPANION.match(pdf.stem)
        if match:
            companions.setdefault(match.group("stem"), []).append(pdf)
        else:
            acts.append(pdf)
    cards: dict[str, list[MirrorCard]] = {domaine: [] for domaine in DOMAINES}
    taken: set[str] = set()
    for pdf in acts:
        card = _card_for(pdf, companions.get(pdf.stem, []), taken)
        cards[card.domaine].append(card)
    return MirrorSite(cards=cards, per_page=per_page)


def _card_for(pdf: Path, companions: list[Path], taken: set[str]) -> MirrorCard:
    expected = pdf.with_name(pdf.stem + ".expected.json")
    meta = _meta_from_record(expected) if expected.exists() else _meta_from_name(pdf)
    session_date: date = meta["session_date"]
    domaine = "METROPOLE" if session_date >= METROPOLE_START else "ct1"
    documents = [_document(pdf, domaine, session_date, "DECISION", "Délibération", taken)]
    for companion in companions:
        kind = "ANNEXE" if ".annexe" in companion.stem else "RAPPORTDELACOMMISSION"
        label = "Annexe" if kind == "ANNEXE" else "Rapport de la commission"
        documents.append(_document(companion, domaine, session_date, kind, label, taken))
    body = meta["body"]
    if domaine == "METROPOLE":
        instance = "Bureau de la Métropole" if body == "bureau" else "Conseil de la Métropole"
    else:
        instance = "Bureau de la Communauté" if body == "bureau" else "Conseil de Communauté"
    pick = document_number(pdf.name)
    summary = f"{instance} approuve : {meta['title']}."
    if meta["incidence"]:
        summary += f"\nIncidence financière : {meta['incidence']}"
    return MirrorCard(
        domaine=domaine,
        session_date=session_date,
        instance=instance,
        commission=COMMISSIONS.get(meta["prefix"], DEFAULT_COMMISSION),
        rapporteur=RAPPORTEURS[pick % len(RAPPORTEURS)],
        title=meta["title"],
        summary=summary,
        documents=tuple(documents),
    )


def _document(
    pdf: Path, domaine: str, session_date: date, kind: str, label: str, taken: set[str]
) -> MirrorDocument:
    number = document_number(pdf.name)
    path = document_path(domaine, session_date, kind, number)
    while path in taken:
        number += 1
        path = document_path(domaine, session_date, kind, number)
    taken.add(path)
    return MirrorDocument(path=path, label=label, source=pdf)


def _meta_from_record(path: Path) -> dict[str, Any]:
    record = json.loads(path.read_text(encoding="utf-8"))
    code = record.get("deliberation_code") or ""
    grants = record.get("grants") or []
    total = sum(grant.get("amount_eur") or 0 for grant in grants)
    year = (record.get("session_date") or "")[:4]
    incidence = f"{_euros(total)} : budget principal {year}" if total else None
    return {
        "session_date": date.fromisoformat(record["session_date"]),
        "body": record.get("body") or "bureau",
        "title": record.get("title") or path.stem,
        "prefix": code.split(" ")[0].upper() if code else "",
        "incidence": incidence,
    }


def _meta_from_name(pdf: Path) -> dict[str, Any]:
    match = _FILE_NAME.match(pdf.stem)
    if not match:
        modified = datetime.fromtimestamp(pdf.stat().st_mtime, UTC).date()
        return {
            "session_date": modified,
            "body": "bureau",
            "title": pdf.stem,
            "prefix": "",
            "incidence": None,
        }
    tokens = match.group("rest").split("-")
    prefix = tokens[0].upper() if tokens[0].isalpha() else ""
    words = [token for token in tokens[1 if prefix else 0 :] if not token.isdigit()]
    return {
        "session_date": date.fromisoformat(match.group("date")),
        "body": "bureau" if match.group("body") == "bm" else "conseil",
        "title": " ".join(words).capitalize() or pdf.stem,
        "prefix": prefix,
        "incidence": None,
    }


def _euros(amount: int | float) -> str:
    return f"{amount:,.0f}".replace(",", " ") + " euros"


def render_listing(site: MirrorSite, domaine: str, page: int) -> str:
    """One listing page as the portal renders it (Bootstrap cards, French)."""
    cards = site.page_cards(domaine, page)
    blocks = "\n".join(_render_card(card) for card in cards)
    if not cards:
        blocks = (
            '<div class="alert alert-info">Aucun document ne correspond à votre recherche.</div>'
        )
    pages = site.pages(domaine)
    items = []
    for number in range(max(1, page - 2), min(pages, page + 2) + 1):
        active = ' active" aria-current="page' if number == page else ""
        items.append(
            f'<li class="page-item{active}"><a class="page-link" href="/{number}'
            f'?typeDocument=DELIBERATION&amp;domaine={domaine}">{number}</a></li>'
        )
    total = len(site.cards.get(domaine, []))
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Délibérations - Métropole Aix-Marseille-Provence</title>
<link rel="stylesheet" href="/css/bootstrap.min.css">
</head>
<body>
<nav class="navbar navbar-expand-lg navbar-dark bg-primary">
  <a class="navbar-brand" href="/">Métropole Aix-Marseille-Provence — Actes administratifs</a>
</nav>
<main class="container mt-4">
  <h1 class="h3">Délibérations</h1>
  <p class="text-muted">{total} résultat(s) — page {page}</p>
  <div class="row">
{blocks}
  </div>
  <nav aria-label="Pagination"><ul class="pagination justify-content-center">
    {"".join(items)}
  </ul></nav>
</main>
</body>
</html>
"""


def _render_card(card: MirrorCard) -> str:
    summary = "<br>\n".join(html.escape(line) for line in card.summary.splitlines())
    links = "\n".join(
        f'      <p class="m-1"><a href="{html.escape(document.path)}" target="_blank">'
        f'<i class="fa fa-file-pdf-o"></i> {html.escape(document.label)}</a></p>'
        for document in card.documents
    )
    return f"""    <div class="card w-100 mb-3">
      <div class="card-header">
        <h2 class="h5 mb-0">Délibération du {card.session_date:%d/%m/%Y}</h2>
      </div>
      <div class="card-body">
        <p class="card-text mb-1"><strong>Instance :</strong> {html.escape(card.instance)}</p>
        <p class="card-text mb-1"><strong>Commission :</strong> {html.escape(card.commission)}</p>
        <p class="card-text mb-1"><strong>Rapporteur :</strong> {html.escape(card.rapporteur)}</p>
        <p class="card-text mb-1"><strong>Objet :</strong> {html.escape(card.title)}</p>
        <div class="card-text mb-1"><strong>Résumé :</strong><br>
        {summary}</div>
      </div>
      <div class="card-footer">
{links}
      </div>
    </div>"""


class MirrorHandler(BaseHTTPRequestHandler):
    """Serves a MirrorSite: robots.txt, /{page}?typeDocument=...&domaine=..., /documents/..."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, each kept-alive response waits
    # for the client's delayed ACK (about 40 ms).
    disable_nagle_algorithm = True
    server_version = "polefunds-mirror/0.1"
    server: MirrorHTTPServer

    def do_GET(self) -> None:
        """Answer one GET."""
        self.server.log_request_seen(self.path, dict(self.headers.items()))
        self.route(send_body=True)

    def do_HEAD(self) -> None:
        """Answer one HEAD."""
        self.route(send_body=False)

    def route(self, *, send_body: bool) -> None:
        """Dispatch on the path."""
        site = self.server.site
        parts = urlsplit(self.path)
        if parts.path == "/robots.txt":
            self.reply(200, site.robots_txt.encode(), "text/plain; charset=utf-8", send_body)
        elif parts.path.strip("/").isdigit() or parts.path == "/":
            self.listing(site, parts.path.strip("/") or "1", parse_qs(parts.query), send_body)
        elif parts.path in site.documents:
            self.document(site.documents[parts.path], send_body)
        else:
            self.reply(404, b"<h1>404 Page introuvable</h1>", "text/html; charset=utf-8", send_body)

    def listing(
        self, site: MirrorSite, page: str, query: Mapping[str, list[str]], send_body: bool
    ) -> None:
        """A listing page, with an ETag so a crawler can ask whether it changed."""
        domaine = query.get("domaine", ["METROPOLE"])[0]
        kind = query.get("typeDocument", ["DELIBERATION"])[0]
        number = int(page)
        if number < 1:
            self.reply(404, b"", "text/html; charset=utf-8", send_body)
            return
        if kind != "DELIBERATION":
            domaine = ""
        body = render_listing(site, domaine, number).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        self.reply(200, body, "text/html; charset=utf-8", send_body, etag=etag)

    def document(self, document: MirrorDocument, send_body: bool) -> None:
        """A PDF, with ETag and Last-Modified."""
        if isinstance(document.source, Path):
            content = document.source.read_bytes()
            modified = datetime.fromtimestamp(document.source.stat().st_mtime, UTC)
        else:
            content = document.source
            modified = datetime(2020, 1, 1, tzinfo=UTC)
        etag = '"' + hashlib.sha256(content).hexdigest()[:20] + '"'
        self.reply(
            200,
            content,
            "application/pdf",
            send_body,
            etag=etag,
            last_modified=format_datetime(modified, usegmt=True),
        )

    def reply(
        self,
        status: int,
        body: bytes,
        content_type: str,
        send_body: bool = True,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Send a complete response; 304 when the client's validators match."""
        if not self.server.site.etags:
            etag = last_modified = None
        if status == 200 and etag and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        if last_modified:
            self.send_header("Last-Modified", last_modified)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the mirror serves tests and benchmarks, whose output matters more."""


class MirrorHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP server that keeps its site and the requests it saw."""

    daemon_threads = True
    # Tests start many servers in a row on ephemeral ports.
    allow_reuse_address = True

    def __init__(self, site: MirrorSite, handler: type[MirrorHandler], port: int = 0) -> None:
        super().__init__((HOST, port), handler)
        self.site = site
        self.seen: list[tuple[str, dict[str, str]]] = []
        self._seen_lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early (a crawler's timeout) is no error of the mirror's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def log_request_seen(self, path: str, headers: dict[str, str]) -> None:
        """Remember one request (tests count them)."""
        with self._seen_lock:
            self.seen.append((path, headers))

    def paths_seen(self) -> list[str]:
        """The paths requested so far, in order."""
        with self._seen_lock:
            return [path for path, _headers in self.seen]


class Mirror:
    """A running mirror on 127.0.0.1: `with Mirror(site) as mirror: crawl(mirror.url)`."""

    handler: ClassVar[type[MirrorHandler]] = MirrorHandler

    def __init__(
        self, site: MirrorSite, *, port: int = 0, handler: type[MirrorHandler] | None = None
    ) -> None:
        self.server = MirrorHTTPServer(site, handler or self.handler, port)
        # A short poll so that stop() returns at once (tests start and stop many mirrors).
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to crawl."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Mirror:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Mirror:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
