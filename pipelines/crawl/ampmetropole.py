"""Adapter for deliberations.ampmetropole.fr: listing URLs, listing pages and cards, documents.

What the portal is known to print comes from archived copies of its pages
(docs/crawling.md says which, and what is a guess): a card's text reads

    Délibération du 19/12/2019
    Instance : Bureau de la Métropole
    Commission : Economie, Nouvelles Technologies, Enseignement Supérieur
    Rapporteur : Monsieur BRAMOULLÉ Gérard
    Objet
    Attribution d'une subvention de fonctionnement au Pôle Safe - Approbation d'une convention
    Résumé
    <one paragraph> Incidence financière : 74 500 euros : 45 000 euros budget principal ...

under a page line `18921 résultat(s)`. The HTML around that text is not known: the cards are
found by CARD_SELECTOR and everything else is read from their text, so that markup changes
inside a card do not matter, and a page that no longer holds such cards is reported by the
crawler as a layout change instead of being read as an empty page.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import quote, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipelines import settings
from pipelines.reference import territory_index

# The listings read by default. METROPOLE: the Métropole Aix-Marseille-Provence (2016 on).
# ct1: the communauté urbaine Marseille Provence Métropole (2011-2015), then, from 2016, the
# Conseil de Territoire Marseille Provence (ct1 documents of 2016 and 2019 are cited).
DOMAINES = ("METROPOLE", "ct1")
# The territory whose Conseil de Territoire a domaine carries after 2016 (only ct1 is attested).
TERRITORY_OF_DOMAINE = {"ct1": "marseille-provence"}

# The folder after the date in a document's URL. DECISION and DELIBERATION hold the act
# itself (`/2016/12/14/DELIBERATION/D0BLL.pdf`); ANNEXE its annexes (conventions, tables);
# RAPPORTDELACOMMISSION the report put to the vote, which stands for the act on a card that
# links no DECISION or DELIBERATION.
ACT_FOLDERS = ("DECISION", "DELIBERATION")
ANNEX_FOLDER = "ANNEXE"
REPORT_FOLDER = "RAPPORTDELACOMMISSION"
DOCUMENT_KINDS = (*ACT_FOLDERS, ANNEX_FOLDER, REPORT_FOLDER)

CARD_SELECTOR = "div.card.w-100"
_DATE = re.compile(r"D[ée]lib[ée]ration\s+du\s+(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)
_LABELS = {
    "instance": "instance",
    "commission": "commission",
    "rapporteur": "rapporteur",
    "objet": "title",
    "resume": "summary",
}
# "Instance : ..." or a label alone on its line, its value below ("Objet", "Résumé"); never
# "Objet de ...".
_LABEL_LINE = re.compile(
    r"^(Instance|Commission|Rapporteur|Objet|R[ée]sum[ée])\s*(?::\s*(.*))?$", re.IGNORECASE
)
# Inline at the end of the résumé: "... Incidence financière : Sans."
_INCIDENCE = re.compile(r"Incidence\s+financi[èe]re\s*:\s*(.+)", re.IGNORECASE | re.DOTALL)
# "18921 résultat(s)" (and, in case, "18 921 résultats").
_RESULT_COUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[\s\u00a0\u202f.]\d{3})+|\d+)\s*r[ée]sultat(?:\(s\)|s)?(?!\w)",
    re.IGNORECASE,
)
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
# /documents/<authority>/deliberations/YYYY/MM/DD/<FOLDER>/<name>: the date is the upload's,
# not the act's (the act of 15 December 2016 is under 2016/12/14).
_DOCUMENT_PATH = re.compile(r"/documents/[^/]+/deliberations/\d{4}/\d{2}/\d{2}/[^/]+/[^/]+$")
_DOCUMENT_FOLDER = re.compile(r"/\d{4}/\d{2}/\d{2}/([A-Za-z]+)/[^/]+$")
# What a path may keep unescaped; an existing %XX escape is kept as it is.
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"
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
    authority: str | None
    territory_id: str | None
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

    @property
    def act(self) -> DocumentLink | None:
        """The document that holds the act: see act_of."""
        return act_of(self.documents)


@dataclass(frozen=True)
class ListingPage:
    """One listing page: its cards in page order and the result count it prints."""

    cards: list[ListingCard]
    result_count: int | None


def listing_url(
    base_url: str, page: int, domaine: str = "METROPOLE", keyword: str | None = None
) -> str:
    """The URL of one listing page (pages count from 1), in the portal's parameter order."""
    if page < 1:
        raise ValueError(f"listing pages count from 1, not {page}")
    parameters = {"domaine": domaine}
    if keyword:
        parameters["motCle"] = keyword
    parameters["typeDocument"] = "DELIBERATION"
    return f"{base_url.rstrip('/')}/{page}?{urlencode(parameters)}"


def document_kind(url: str) -> str:
    """The folder after the date (DECISION, DELIBERATION, ANNEXE, RAPPORTDELACOMMISSION); else OTHER."""
    match = _DOCUMENT_FOLDER.search(urlsplit(url).path)
    folder = match.group(1).upper() if match else ""
    return folder if folder in DOCUMENT_KINDS else "OTHER"


def act_of(documents: tuple[DocumentLink, ...] | list[DocumentLink]) -> DocumentLink | None:
    """The act among a card's documents: its DECISION or DELIBERATION, else its report."""
    for kinds in (ACT_FOLDERS, (REPORT_FOLDER,)):
        for document in documents:
            if document.kind in kinds:
                return document
    return None


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


def read_listing_page(html: str, page_url: str, domaine: str = "METROPOLE") -> ListingPage:
    """A listing page's cards (in page order; none past the last page) and result count."""
    tree = LexborHTMLParser(html)
    nodes = tree.css(CARD_SELECTOR)
    cards = [_parse_card(node, page_url, domaine) for node in nodes]
    # The count is read outside the cards, so that no résumé's "3 résultats" is taken for it.
    for node in nodes:
        node.decompose()
    body = tree.body
    text = _fold(body.text(separator=" ")) if body is not None else ""
    match = _RESULT_COUNT.search(text)
    count = int(re.sub(r"\D", "", match.group(1))) if match else None
    return ListingPage(cards, count)


def parse_listing(html: str, page_url: str, domaine: str = "METROPOLE") -> list[ListingCard]:
    """Every card of a listing page, in page order; [] past the last page."""
    return read_listing_page(html, page_url, domaine).cards


def card_lines(node: LexborNode) -> list[str]:
    """A card's text as a browser shows it, one line per block (p, div, h5, li, br...).

    Inline markup (b, span, a) does not break a line: `<b>Instance :</b> Bureau` reads as
    the archived pages print it, "Instance : Bureau"; spaces are folded, blank lines dropped.
    """
    parts: list[str] = []
    _flow(node, parts)
    lines = (_fold(line) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


# Elements a browser starts on a new line (what separates a card's lines).
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "td", "th", "thead", "tr", "ul"),
    }
)
_UNSEEN = frozenset({"script", "style", "template", "noscript"})


def _flow(node: LexborNode, parts: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            # A line break in the HTML source is a space on the screen.
            parts.append((child.text_content or "").replace("\n", " "))
        elif tag not in _UNSEEN:
            block = tag in _BLOCKS
            if block:
                parts.append("\n")
            _flow(child, parts)
            if block:
                parts.append("\n")


def _parse_card(node: LexborNode, page_url: str, domaine: str) -> ListingCard:
    documents: list[DocumentLink] = []
    seen: set[str] = set()
    # Any link to a document in the portal's structure, whatever the markup around it.
    for link in node.css("a[href]"):
        url = _absolute(page_url, link.attributes.get("href") or "")
        if url and _DOCUMENT_PATH.search(urlsplit(url).path) and url not in seen:
            seen.add(url)
            caption = link.attributes.get("title") or link.attributes.get("aria-label") or ""
            label = _fold(link.text()) or _fold(caption)
            documents.append(DocumentLink(url, document_kind(url), label))
    text = "\n".join(card_lines(node))
    fields = _labelled_fields(text)
    summary = fields.get("summary")
    incidence = _INCIDENCE.search(summary) if summary else None
    session_date = _session_date(text)
    instance = fields.get("instance")
    body, authority, territory = card_body(instance, domaine, session_date)
    return ListingCard(
        card_id=card_id(documents, session_date, instance, fields.get("title")),
        domaine=domaine,
        session_date=session_date,
        instance=instance,
        body=body,
        authority=authority,
        territory_id=territory,
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
            current = _LABELS[strip_accents(match.group(1)).lower()]
            fields[current] = [match.group(2)] if match.group(2) else []
        elif current is not None and not _DATE.fullmatch(line):
            fields[current].append(line)
    # The résumé keeps its line breaks, should the portal print some.
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


def card_body(
    instance: str | None, domaine: str, session_date: str | None
) -> tuple[str | None, str | None, str | None]:
    """(body, authority, territory_id) of a card, as the record contract names them.

    The instance's words first: a Conseil de Territoire (its territory named after the words,
    else the domaine's), a Bureau, any other Conseil; the communauté urbaine's words ("Conseil
    de Communauté") or a session before the Métropole make the former authority.
    """
    folded = strip_accents(instance or "").lower()
    territory = None
    if "conseil de territoire" in folded:
        body: str | None = "conseil-de-territoire"
        named = territory_index().find(instance or "")
        territory = named[0].id if named else TERRITORY_OF_DOMAINE.get(domaine)
    elif "bureau" in folded:
        body = "bureau"
    elif "conseil" in folded:
        body = "conseil"
    else:
        body = None
    former = "communaute" in folded or (
        session_date is not None and session_date < settings.METROPOLE_CREATED
    )
    return body, settings.FORMER_AUTHORITY if former else settings.AUTHORITY, territory


def card_id(
    documents: list[DocumentLink] | tuple[DocumentLink, ...],
    session_date: str | None,
    instance: str | None,
    title: str | None,
) -> str:
    """A stable key for a card: its act's path, else its first document's, else its text."""
    # Paths, not URLs: a move to another host or to https must not make every card new.
    act = act_of(documents)
    if act is not None:
        return urlsplit(act.url).path
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
    # Annex names keep the original file name (spaces, dots, accents): one spelling for the
    # same path, whether the page escapes it or not.
    path = quote(parts.path, safe=_PATH_SAFE)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _fold(text: str) -> str:
    """Spaces (including non-breaking ones) folded to one, trimmed."""
    return " ".join(text.split())


def strip_accents(text: str) -> str:
    """The text without its accents (NFKD, combining marks dropped)."""
    return "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )


@cache
def _pole_patterns() -> tuple[re.Pattern[str], ...]:
    patterns = []
    with (settings.REFERENCE_DIR / "pole_aliases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            alias = strip_accents(row["alias"])
            flags = 0 if row["case_sensitive"] == "true" else re.IGNORECASE
            patterns.append(re.compile(rf"(?<!\w){re.escape(alias)}(?!\w)", flags))
    return tuple(patterns)


def concerns_economy_or_pole(card: ListingCard) -> bool:
    """Whether the card's commission, objet or résumé is about economic development or a pôle."""
    if card.commission and _ECONOMIC_COMMISSION.search(strip_accents(card.commission)):
        return True
    text = strip_accents(" ".join(filter(None, (card.commission, card.title, card.summary))))
    if _ECONOMY.search(text):
        return True
    return any(pattern.search(text) for pattern in _pole_patterns())
