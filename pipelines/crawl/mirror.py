"""A local mirror of deliberations.ampmetropole.fr: a folder of PDFs in the portal's shape.

Its cards print the text the real portal prints, line by line, as archived copies show it
(docs/crawling.md): `Objet` and `Résumé` alone on their line with the value below, the
"Incidence financière" inline at the end of the résumé (none on ct1 cards), rapporteurs as
`Monsieur SURNAME Firstname`, commission names of each mandate, `N résultat(s)` above the
cards, ten cards a page, newest first. Its documents are filed as the portal files them: a
quarter of the acts under DELIBERATION with alphanumeric ids (`D0BLL`), the others under
DECISION with numeric ids; some dated in their URL a day or two before the session; annexes
under their original file name (`38873_PJ_38873_Projet%20de%20convention...pdf`). The HTML
around the text is a guess: the archived copies kept only the text.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, unquote, urlsplit

from pipelines import settings
from pipelines.crawl.ampmetropole import DOMAINES, strip_accents
from pipelines.reference import read_csv

HOST = "127.0.0.1"
DEFAULT_PER_PAGE = 10
DEFAULT_ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /recherche/export\n"
# The Métropole's second council was installed in July 2020: commissions changed with it.
SECOND_MANDATE = date(2020, 7, 9)
# Commission names by mandate and subject. Names the archived pages print are marked (seen);
# where they show none for a subject the name is a guess.
COMMISSIONS: dict[str, dict[str, str]] = {
    "communaute": {
        "eco": "Développer l'économie et servir l'emploi",  # seen (ct1, 2014)
        "other": "Finances, Administration générale et Ressources humaines",  # guess
    },
    "2016": {
        "eco": "Economie, Nouvelles Technologies, Enseignement Supérieur",  # seen (2019)
        "environment": "Environnement, Développement Durable, Agriculture et Forêt",  # seen
        "water": "Cadre de vie, traitement des déchets, eau et assainissement",  # seen
        "urbanism": "Urbanisme et Aménagement",  # seen
        "housing": "Développement Territorial, Logement, Centres Anciens, Contrat de Ville",  # seen
        "mobility": "Transports, Mobilité et Déplacements",  # guess
        "other": "Finances, Budget et Administration générale",  # guess
    },
    "2020": {
        "eco": "Développement économique, Emploi, Enseignement supérieur et Recherche",  # guess
        "environment": "Transition écologique et énergétique, cycle de l'eau, mer et littoral",  # seen
        "culture": "Attractivité, tourisme, international, culture, sports, grands événements",  # seen
        "mobility": "Mobilité, Déplacements et Transports",  # guess
        "other": "Finances, Budget, patrimoine et administration générale",  # seen (2021)
    },
}
_SUBJECT_OF_PREFIX = {
    "ECO": "eco",
    "DEVT": "eco",
    "ECOR": "eco",
    "HN": "eco",
    "EMP": "eco",
    "FCT": "eco",
    "MOB": "mobility",
    "MOBI": "mobility",
    "TRA": "mobility",
    "VOI": "mobility",
    "ENV": "environment",
    "URB": "urbanism",
    "CHL": "housing",
}
# Fictitious members, written as the portal writes rapporteurs: civility, SURNAME, first name.
RAPPORTEURS = (
    "Monsieur ARNAUD Jean-Marc",
    "Madame BÉRENGER Sylvie",
    "Monsieur CASTELLANI Éric",
    "Madame DUCHÊNE Hélène",
    "Monsieur GIRAUD François",
)
_FILE_NAME = re.compile(r"^(?P<body>bm|cm|bc|cc|ct\d?)-(?P<date>\d{4}-\d{2}-\d{2})-(?P<rest>.+)$")
_COMPANION = re.compile(r"^(?P<stem>.+)\.(?P<kind>annexe|rapport)(?:-(?P<n>\d+))?$")
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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
    # The résumé: one paragraph, with "Incidence financière : ..." inline at its end if any.
    summary: str
    documents: tuple[MirrorDocument, ...]


def mirror_path(path: str) -> str:
    """One spelling of a path, whether a client escapes it or not (spaces, accents)."""
    return quote(unquote(path), safe="/")


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
        self.documents = {mirror_path(path): doc for path, doc in self.documents.items()}
        for domaine, cards in self.cards.items():
            cards.sort(key=lambda card: card.session_date, reverse=True)
            for card in cards:
                for document in card.documents:
                    self.documents.setdefault(mirror_path(document.path), document)
            self.cards[domaine] = cards

    def matching(self, domaine: str, keyword: str | None = None) -> list[MirrorCard]:
        """The cards of domaine, newest first; those whose objet or résumé hold keyword."""
        cards = self.cards.get(domaine, [])
        if not keyword:
            return cards
        wanted = strip_accents(keyword.casefold())
        return [
            card
            for card in cards
            if wanted in strip_accents(f"{card.title} {card.summary}".casefold())
        ]

    def page_cards(self, domaine: str, page: int, keyword: str | None = None) -> list[MirrorCard]:
        """The cards of one listing page; [] past the end."""
        start = (page - 1) * self.per_page
        return self.matching(domaine, keyword)[start : start + self.per_page]

    def pages(self, domaine: str, keyword: str | None = None) -> int:
        """How many listing pages domaine has."""
        return -(-len(self.matching(domaine, keyword)) // self.per_page)

    def document(self, path: str) -> MirrorDocument | None:
        """The document served at path, however the client spelt it."""
        return self.documents.get(mirror_path(path))


def document_path(domaine: str, upload_date: date, kind: str, number: int | str) -> str:
    """A document's path in the portal's structure; the date is the upload's, not the act's."""
    authority = "metropole" if domaine == "METROPOLE" else domaine.lower()
    return f"/documents/{authority}/deliberations/{upload_date:%Y/%m/%d}/{kind}/{number}.pdf"


def document_number(name: str) -> int:
    """A stable number for a document, from its file name."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:12], 16) % 10**9


def alphanumeric_id(letter: str, number: int) -> str:
    """An id in the form of `D0BLL` (DELIBERATION) or `C06HH` (RAPPORTDELACOMMISSION)."""
    digits = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        digits = _BASE36[digit] + digits
    return letter + digits


def domaine_of(authority: str, body: str, territory_id: str | None, session_date: date) -> str:
    """The listing an act is filed in: METROPOLE, or ct1 (Marseille Provence Métropole until
    2015, then its Conseil de Territoire); other Conseils de Territoire under ct2-ct6 (a guess:
    only ct1 is attested)."""
    if (
        authority == settings.FORMER_AUTHORITY
        or session_date.isoformat() < settings.METROPOLE_CREATED
    ):
        return "ct1"
    if body == "conseil-de-territoire":
        return f"ct{_territory_numbers().get(territory_id or '', 1)}"
    return "METROPOLE"


@functools.cache
def _territory_numbers() -> dict[str, int]:
    """The Conseils de Territoire in their order (ct1 Marseille Provence ... ct6 Martigues)."""
    rows = [row for row in read_csv("territories.csv") if row["ets"] == "true"]
    return {row["territory_id"]: number for number, row in enumerate(rows, start=1)}


def _territory_name(territory_id: str | None) -> str:
    return _territory_names().get(territory_id or "", "Marseille Provence")


@functools.cache
def _territory_names() -> dict[str, str]:
    return {row["territory_id"]: row["name"] for row in read_csv("territories.csv")}


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
        cards.setdefault(card.domaine, []).append(card)
    return MirrorSite(cards=cards, per_page=per_page)


def _card_for(pdf: Path, companions: list[Path], taken: set[str]) -> MirrorCard:
    expected = pdf.with_name(pdf.stem + ".expected.json")
    meta = _meta_from_record(expected) if expected.exists() else None
    meta = meta or _meta_from_name(pdf)
    session_date: date = meta["session_date"]
    domaine = domaine_of(meta["authority"], meta["body"], meta["territory_id"], session_date)
    pick = document_number(pdf.name)
    # The date in a URL is the upload's: a third of the acts went up a day or two early.
    upload = session_date - timedelta(days=(0, 1, 0, 0, 2, 0)[pick // 7 % 6])
    if pick % 4 == 0:
        act_kind, act_id = "DELIBERATION", alphanumeric_id("D", pick)
    else:
        act_kind, act_id = "DECISION", str(pick)
    documents = [_document(pdf, domaine, upload, act_kind, act_id, "Délibération", taken)]
    for companion in companions:
        match = _COMPANION.match(companion.stem)
        number = document_number(companion.name)
        if match and match.group("kind") == "annexe":
            rank = match.group("n") or "1"
            # The original file name, kept by the portal: spaces, a degree sign, accents, dots.
            original = (
                f"{number}_PJ_{number}_Projet de convention n°{rank} - version définitive "
                f"{session_date:%d.%m.%Y}"
            )
            documents.append(
                _document(companion, domaine, upload, "ANNEXE", quote(original), "Annexe", taken)
            )
        else:
            report_id = alphanumeric_id("C", number)
            label = "Rapport de la commission"
            documents.append(
                _document(
                    companion, domaine, upload, "RAPPORTDELACOMMISSION", report_id, label, taken
                )
            )
    instance = _instance(meta["authority"], meta["body"], meta["territory_id"])
    summary = f"Il s'agit de soumettre à l'approbation du {instance} : {meta['title']}."
    # The former communauté urbaine's cards (domaine ct1) state no financial impact.
    if domaine != "ct1":
        summary += f" Incidence financière : {_incidence(pdf) or meta['incidence']}"
    return MirrorCard(
        domaine=domaine,
        session_date=session_date,
        instance=instance,
        commission=_commission(meta["authority"], session_date, meta["prefix"]),
        rapporteur=RAPPORTEURS[pick % len(RAPPORTEURS)],
        title=meta["title"],
        summary=summary,
        documents=tuple(documents),
    )


def _incidence(pdf: Path) -> str | None:
    """The card's "Incidence financière" as `<stem>.incidence.txt` beside the act writes it
    (a card that says something else than the act: tests make the listing disagree so)."""
    sidecar = pdf.with_name(pdf.stem + ".incidence.txt")
    return " ".join(sidecar.read_text(encoding="utf-8").split()) if sidecar.exists() else None


def _instance(authority: str, body: str, territory_id: str | None) -> str:
    if authority == settings.FORMER_AUTHORITY:
        return "Bureau de la Communauté" if body == "bureau" else "Conseil de Communauté"
    if body == "conseil-de-territoire":
        return f"Conseil de Territoire {_territory_name(territory_id)}"
    return "Bureau de la Métropole" if body == "bureau" else "Conseil de la Métropole"


def _commission(authority: str, session_date: date, prefix: str) -> str:
    if authority == settings.FORMER_AUTHORITY:
        names = COMMISSIONS["communaute"]
    else:
        names = COMMISSIONS["2020" if session_date >= SECOND_MANDATE else "2016"]
    return names.get(_SUBJECT_OF_PREFIX.get(prefix, "other"), names["other"])


def _document(
    pdf: Path,
    domaine: str,
    upload: date,
    kind: str,
    name: str,
    label: str,
    taken: set[str],
) -> MirrorDocument:
    path = document_path(domaine, upload, kind, name)
    rank = 1
    while path in taken:
        rank += 1
        path = document_path(domaine, upload, kind, f"{name}-{rank}")
    taken.add(path)
    return MirrorDocument(path=path, label=label, source=pdf)


def _meta_from_record(path: Path) -> dict[str, Any] | None:
    record = json.loads(path.read_text(encoding="utf-8"))
    if not record.get("session_date"):
        return None
    code = record.get("deliberation_code") or ""
    session = date.fromisoformat(record["session_date"])
    return {
        "session_date": session,
        "authority": record.get("authority") or settings.AUTHORITY,
        "body": record.get("body") or "bureau",
        "territory_id": record.get("territory_id"),
        "title": record.get("title") or path.stem,
        "prefix": re.split(r"[\s-]", code, maxsplit=1)[0].upper() if code else "",
        "incidence": financial_impact(record.get("grants") or [], document_number(path.name)),
    }


def _meta_from_name(pdf: Path) -> dict[str, Any]:
    match = _FILE_NAME.match(pdf.stem)
    if not match:
        modified = datetime.fromtimestamp(pdf.stat().st_mtime, UTC).date()
        return {
            "session_date": modified,
            "authority": settings.AUTHORITY,
            "body": "bureau",
            "territory_id": None,
            "title": pdf.stem,
            "prefix": "",
            "incidence": "Sans.",
        }
    tokens = match.group("rest").split("-")
    prefix = tokens[0].upper() if tokens[0].isalpha() else ""
    words = [token for token in tokens[1 if prefix else 0 :] if not token.isdigit()]
    session = date.fromisoformat(match.group("date"))
    sigle = match.group("body")
    body = {"bm": "bureau", "bc": "bureau", "cm": "conseil", "cc": "conseil"}.get(
        sigle, "conseil-de-territoire"
    )
    former = sigle in ("bc", "cc") or session.isoformat() < settings.METROPOLE_CREATED
    territories = {number: tid for tid, number in _territory_numbers().items()}
    return {
        "session_date": session,
        "authority": settings.FORMER_AUTHORITY if former else settings.AUTHORITY,
        "body": body,
        "territory_id": territories.get(int(sigle[2:] or 1)) if sigle.startswith("ct") else None,
        "title": " ".join(words).capitalize() or pdf.stem,
        "prefix": prefix,
        "incidence": "Sans.",
    }


def financial_impact(grants: Sequence[Mapping[str, Any]], pick: int) -> str:
    """The card's "Incidence financière" for an act's grants, in one of the portal's styles.

    `Sans.` without a grant; else the total, then its split between budgets when there are
    several ("74 500 euros : 45 000 euros budget principal métropolitain du Territoire
    Marseille Provence, 29 500 euros Etat Spécial de Territoire du Pays d'Aix"); amounts
    with spaces, dotted thousands and cents, or a bare number before "€": forms the
    listing's reader (pipelines/crawl/impact.py) reads back to the grants' total, so that a
    card disagrees with its act only where a test makes it (`<stem>.incidence.txt`).
    """
    total = sum(float(grant.get("amount_eur") or 0) for grant in grants)
    if not total:
        return "Sans."
    style = pick % 3
    shares: dict[tuple[str, str], float] = {}
    for grant in grants:
        for share in grant.get("allocations") or []:
            key = (share.get("territory_id") or "metropole", share.get("budget") or "principal")
            shares[key] = shares.get(key, 0.0) + float(share.get("amount_eur") or 0)
    parts = [f"{_money(amount, style)} {_budget(*key)}" for key, amount in shares.items()]
    if len(parts) == 1:
        return f"{_money(total, style)} {_budget(*next(iter(shares)))}."
    return f"{_money(total, style)} : {', '.join(parts)}." if parts else _money(total, style)


def _money(amount: float, style: int) -> str:
    # Cents only where there are some, as the portal writes them ("54 993,71 €").
    whole = f"{amount:,.0f}" if amount == round(amount) else f"{amount:,.2f}"
    if style == 1:  # "8.151.298,30 €"
        return f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " €"
    if style == 2:  # "80 000€"
        return whole.replace(",", " ").replace(".", ",") + "€"
    return whole.replace(",", " ").replace(".", ",") + " euros"  # "74 500 euros"


def _budget(territory_id: str, budget: str) -> str:
    if budget == "ets":
        return f"Etat Spécial de Territoire du {_territory_name(territory_id)}"
    if territory_id == "metropole":
        return "budget principal de la Métropole"
    return f"budget principal métropolitain du Territoire {_territory_name(territory_id)}"


def render_listing(site: MirrorSite, domaine: str, page: int, keyword: str | None = None) -> str:
    """One listing page: the result count, then the cards as the portal prints them."""
    cards = site.page_cards(domaine, page, keyword)
    blocks = "\n".join(_render_card(card) for card in cards)
    if not cards:
        blocks = (
            '<div class="alert alert-info">Aucun document ne correspond à votre recherche.</div>'
        )
    pages = site.pages(domaine, keyword)
    query = f"domaine={domaine}&amp;typeDocument=DELIBERATION"
    items = []
    for number in range(max(1, page - 2), min(pages, page + 2) + 1):
        active = ' active" aria-current="page' if number == page else ""
        items.append(
            f'<li class="page-item{active}"><a class="page-link" href="/{number}?{query}">'
            f"{number}</a></li>"
        )
    total = len(site.matching(domaine, keyword))
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Délibérations - Métropole Aix-Marseille-Provence</title>
<link rel="stylesheet" href="/css/bootstrap.min.css">
</head>
<body>
<main class="container mt-4">
  <p class="resultats">{total} résultat(s)</p>
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
    # Icon links: the archived pages show no caption between a résumé and the next card.
    links = "\n".join(
        f'      <a href="{html.escape(document.path)}" target="_blank" '
        f'title="{html.escape(document.label)}"><i class="fa fa-file-pdf-o"></i></a>'
        for document in card.documents
    )
    return f"""    <div class="card w-100 mb-3">
      <div class="card-header">Délibération du {card.session_date:%d/%m/%Y}</div>
      <div class="card-body">
        <p class="mb-1">Instance : {html.escape(card.instance)}</p>
        <p class="mb-1">Commission : {html.escape(card.commission)}</p>
        <p class="mb-1">Rapporteur : {html.escape(card.rapporteur)}</p>
        <h3 class="h6 mt-2 mb-0">Objet</h3>
        <p class="mb-1">{html.escape(card.title)}</p>
        <h3 class="h6 mt-2 mb-0">Résumé</h3>
        <p class="mb-1">{html.escape(card.summary)}</p>
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
            # A bare /1075 is the Métropole's deliberations, as on the portal.
            self.listing(site, parts.path.strip("/") or "1", parse_qs(parts.query), send_body)
        elif (document := site.document(parts.path)) is not None:
            self.document(document, send_body)
        else:
            self.reply(404, b"<h1>404 Page introuvable</h1>", "text/html; charset=utf-8", send_body)

    def listing(
        self, site: MirrorSite, page: str, query: Mapping[str, list[str]], send_body: bool
    ) -> None:
        """A listing page, with an ETag so a crawler can ask whether it changed."""
        domaine = query.get("domaine", ["METROPOLE"])[0]
        kind = query.get("typeDocument", ["DELIBERATION"])[0]
        keyword = query.get("motCle", [""])[0] or None
        number = int(page)
        if number < 1:
            self.reply(404, b"", "text/html; charset=utf-8", send_body)
            return
        if kind != "DELIBERATION":
            domaine = ""
        body = render_listing(site, domaine, number, keyword).encode()
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
