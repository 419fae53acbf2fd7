"""Adapter for deliberations.ampmetropole.fr: listing URLs, listing cards, document kinds."""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipelines import settings
from pipelines.settings import PORTAL_URL  # noqa: F401  (the adapter's portal)

# METROPOLE: the Métropole Aix-Marseille-Provence (2016 on); ct1: Marseille Provence Métropole
# (the former communauté urbaine, 2011-2014).
DOMAINES = ("METROPOLE", "ct1")
DOCUMENT_KINDS = ("DECISION", "ANNEXE", "RAPPORTDELACOMMISSION")

CARD_SELECTOR = "div.card.w-100"
LINK_SELECTOR = "p.m-1 a[href]"
_DATE = re.compile(r"D[ée]lib[ée]ration\s+du\s+(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)
_LABELS = {
    "instance": "instance",
    "commission": "commission",
    "rapporteur": "rapporteur",
    "objet": "title",
    "resume": "summary",
}
# "Objet : ..." or a label alone on its line (its value below), never "Objet de ...".
_LABEL_LINE = re.compile(
    r"^(Instance|Commission|Rapporteur|Objet|R[ée]sum[ée])\s*(?::\s*(.*))?$", re.IGNORECASE
)
_INCIDENCE = re.compile(r"Incidence\s+financi[èe]re\s*:\s*(.+)", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_DOCUMENT_FOLDER = re.compile(r"/\d{4}/\d{2}/\d{2}/([A-Za-z]+)/[^/]+$")
_ECONOMIC_COMMISSION = re.compile(r"econom", re.IGNORECASE)
_ECONOMY = re.compile(r"developpement economique|poles? de competitivite", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentLink:
    """One document a card links to."""

    url: str
    kind: str
    label: str


@dataclass(frozen=True)
class ListingCard:
    """The metadata of one deliberation as its listing card shows it (the `listing` record)."""

    card_id: str
    domaine: str
    session_date: str | None
    instance: str | None
    body: str | None
    commission: str | None
    rapporteur: str | None
    title: str | None
    summary: str | None
    financial_impact: str | None
    documents: tuple[DocumentLink, ...]

    @property
    def document_urls(self) -> tuple[str, ...]:
        """The documents' absolute URLs, in card order."""
        return tuple(document.url for document in self.documents)


def listing_url(base_url: str, page: int, domaine: str = "METROPOLE") -> str:
    """The URL of one listing page (pages count from 1)."""
    if page < 1:
        raise ValueError(f"listing pages count from 1, not {page}")
    query = urlencode({"typeDocument": "DELIBERATION", "domaine": domaine})
    return f"{base_url.rstrip('/')}/{page}?{query}"


def document_kind(url: str) -> str:
    """DECISION, ANNEXE or RAPPORTDELACOMMISSION from the folder after the date; else OTHER."""
    match = _DOCUMENT_FOLDER.search(urlsplit(url).path)
    folder = match.group(1).upper() if match else ""
    return folder if folder in DOCUMENT_KINDS else "OTHER"


def decode_page(content: bytes, content_type: str | None) -> str:
    """A listing page's text: its declared charset, else UTF-8, else Windows-1252."""
    declared = _CHARSET.search(content_type or "")
    for charset in (declared.group(1) if declared else None, "utf-8"):
        if charset:
            try:
                return content.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    # Older French sites often send Latin-1 pages without saying so.
    return content.decode("cp1252", errors="replace")


def parse_listing(html: str, page_url: str, domaine: str = "METROPOLE") -> list[ListingCard]:
    """Every card of a listing page, in page order; [] past the last page."""
    tree = LexborHTMLParser(html)
    return [_parse_card(node, page_url, domaine) for node in tree.css(CARD_SELECTOR)]


def _parse_card(node: LexborNode, page_url: str, domaine: str) -> ListingCard:
    documents: list[DocumentLink] = []
    seen: set[str] = set()
    for link in node.css(LINK_SELECTOR):
        url = _absolute(page_url, link.attributes.get("href") or "")
        if url and url not in seen:
            seen.add(url)
            documents.append(DocumentLink(url, document_kind(url), _fold(link.text())))
    # The labels are read from the card's text, so markup changes (b, strong, dt) do not matter;
    # link captions are removed first so they do not run into the résumé.
    card = LexborHTMLParser(node.html or "")
    for link in card.css("a"):
        link.decompose()
    lines = [_fold(line) for line in card.text(separator="\n").splitlines()]
    text = "\n".join(line for line in lines if line)
    fields = _labelled_fields(text)
    summary = fields.get("summary")
    incidence = _INCIDENCE.search(summary) if summary else None
    session_date = _session_date(text)
    instance = fields.get("instance")
    return ListingCard(
        card_id=card_id(documents, session_date, instance, fields.get("title")),
        domaine=domaine,
        session_date=session_date,
        instance=instance,
        body=_body(instance),
        commission=fields.get("commission"),
        rapporteur=fields.get("rapporteur"),
        title=fields.get("title"),
        summary=summary,
        financial_impact=_fold(incidence.group(1)) if incidence else None,
        documents=tuple(documents),
    )


def _labelled_fields(text: str) -> dict[str, str]:
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        match = _LABEL_LINE.match(line)
        if match:
            current = _LABELS[_strip_accents(match.group(1)).lower()]
            fields[current] = [match.group(2)] if match.group(2) else []
        elif current is not None and not _DATE.fullmatch(line):
            fields[current].append(line)
    # The résumé keeps its line breaks (its last line is often the financial impact).
    return {
        name: ("\n" if name == "summary" else " ").join(parts)
        for name, parts in fields.items()
        if parts
    }


def _session_date(text: str) -> str | None:
    match = _DATE.search(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _body(instance: str | None) -> str | None:
    folded = _strip_accents(instance or "").lower()
    if "bureau" in folded:
        return "bureau"
    if "conseil" in folded:
        return "conseil"
    return None


def card_id(
    documents: list[DocumentLink] | tuple[DocumentLink, ...],
    session_date: str | None,
    instance: str | None,
    title: str | None,
) -> str:
    """A stable key for a card: its act's path, else its first document's, else its text."""
    # Paths, not URLs: a move to another host or to https must not make every card new.
    for document in documents:
        if document.kind == "DECISION":
            return urlsplit(document.url).path
    if documents:
        return urlsplit(documents[0].url).path
    digest = hashlib.sha256(f"{session_date}|{instance}|{title}".encode()).hexdigest()
    return f"card:{digest[:32]}"


def _absolute(page_url: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    parts = urlsplit(urljoin(page_url, href))
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _fold(text: str) -> str:
    """Spaces (including non-breaking ones) folded to one, trimmed."""
    return " ".join(text.split())


def _strip_accents(text: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )


@cache
def _pole_patterns() -> tuple[re.Pattern[str], ...]:
    patterns = []
    with (settings.REFERENCE_DIR / "pole_aliases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            alias = _strip_accents(row["alias"])
            flags = 0 if row["case_sensitive"] == "true" else re.IGNORECASE
            patterns.append(re.compile(rf"(?<!\w){re.escape(alias)}(?!\w)", flags))
    return tuple(patterns)


def concerns_economy_or_pole(card: ListingCard) -> bool:
    """Whether the card's commission, objet or résumé is about economic development or a pôle."""
    if card.commission and _ECONOMIC_COMMISSION.search(_strip_accents(card.commission)):
        return True
    text = _strip_accents(" ".join(filter(None, (card.commission, card.title, card.summary))))
    if _ECONOMY.search(text):
        return True
    return any(pattern.search(text) for pattern in _pole_patterns())
