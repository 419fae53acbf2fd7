"""The act's identity: body, session date, code, reference, title, members present, outcome."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.parse.dates import DATE_RE, date_from_match
from pipelines.parse.text import DocumentText, flatten
from pipelines.reference import territory_index
from pipelines.settings import AUTHORITY, FORMER_AUTHORITY, METROPOLE_CREATED

# The act's own number, in each era's form: `ECO 024-5567/19/BM` (Bureau), `HN 001-071/16/CM`
# (Conseil), `MOB-013-13246/23/CM` (hyphenated from 2023), `FCT 006-415/11/CC` (the former
# communauté urbaine's Conseil de Communauté; `/BC` its Bureau), `CT5-094/21` or
# `ECO 004-1942/17/CT5` (a Conseil de Territoire, numbered as the territories are).
CODE_RE = re.compile(
    r"(?<![\w/])(?P<code>[A-Z][A-Z0-9]{0,7}(?:[ -][A-Z]{1,6})?[\s-]*\d{1,4}\s*-\s*\d{1,6}\s*/\s*"
    r"(?P<yy>\d{2})\s*/\s*(?P<body>BM|CM|BC|CC|CT)(?P<ctn>[1-6])?"
    r"|CT\s*(?P<ct>[1-6])\s*-\s*\d{1,5}\s*/\s*(?P<ctyy>\d{2}))(?![\w])"
)
_BODY_OF_SUFFIX = {
    "BM": "bureau",
    "BC": "bureau",
    "CM": "conseil",
    "CC": "conseil",
    "CT": "conseil-de-territoire",
}
# The Conseils de Territoire are numbered as the portal's domaines are (ct1: Marseille Provence).
TERRITORY_OF_CT = {
    "1": "marseille-provence",
    "2": "pays-d-aix",
    "3": "pays-salonais",
    "4": "pays-d-aubagne-et-de-l-etoile",
    "5": "istres-ouest-provence",
    "6": "pays-de-martigues",
}
# `MET 19/10103/BM`: the Métropole's registry number, printed under the title.
REFERENCE_RE = re.compile(
    r"(?<![\w/])(?P<ref>[A-Z]{2,5}\s+\d{2}\s*/\s*\d{2,7}\s*/\s*(?:BM|CM|BC|CC|CT))(?![\w])"
)
_CITED_BEFORE = re.compile(
    r"(?:n\s*°|n[or]\.?|num[ée]ro|d[ée]lib[ée]ration|du|la|par)\s*[:.]?\s*$", re.IGNORECASE
)
_SESSION_RE = re.compile(r"s[ée]ance\s+(?:publique\s+)?du\s+", re.IGNORECASE)
_MEMBERS_RE = re.compile(
    r"pr[ée]sents?\s*:?\s*(?P<a>\d{1,3})\s+(?:membres|conseillers|[ée]lus)"
    r"|(?P<b>\d{1,3})\s+(?:membres|conseillers|[ée]lus)\s+(?:[ée]taient\s+|sont\s+|ont\s+[ée]t[ée]\s+)?pr[ée]sents"
    r"|assist[ée]\s+(?P<c>\d{1,3})\s+(?:membres|conseillers|[ée]lus)"
    r"|(?:nombre\s+de\s+)?(?:membres|conseillers|[ée]lus)\s+pr[ée]sents\s*:\s*(?P<d>\d{1,3})\b"
    r"|pr[ée]sents\s*:\s*(?P<e>\d{1,3})\b(?![/.\d])"
    # "Ont été présents à l'ouverture de la séance 19 membres".
    r"|pr[ée]sents?(?:\s+[\w'’]+){1,6}?\s+(?P<f>\d{1,3})\s+(?:membres|conseillers|[ée]lus)",
    re.IGNORECASE,
)
# A count of those present that the forms above could not read.
_PRESENCE_COUNT = re.compile(
    r"pr[ée]sents?\W{0,3}(?:\w+\W+){0,3}?\d{1,3}\b|\b\d{1,3}\W+(?:\w+\W+){0,2}?pr[ée]sents",
    re.IGNORECASE,
)
_TITLE_END = re.compile(
    r"^(?:(?:madame|monsieur)\s+(?:la|le)\s+(?:pr[ée]sidente?|vice-pr[ée]sidente?|rapporteur)"
    r"|sur\s+(?:la\s+)?proposition|le\s+rapporteur|rapporteur\s*:|commission\s*:)",
    re.IGNORECASE,
)
_TITLE_PREFIX = re.compile(r"^(?:[■•▪►\-*]+\s*|objet\s*:\s*)+", re.IGNORECASE)
_WITHDRAWN_RE = re.compile(
    r"retir[ée]e?s?\s+de\s+l'ordre\s+du\s+jour|(?:rapport|dossier|affaire)\s+(?:est\s+|a\s+[ée]t[ée]\s+)?retir[ée]",
    re.IGNORECASE,
)
# A report stamped "RETIRÉ" (or "Rapport retiré") on a line of its own.
_WITHDRAWN_STAMP = re.compile(
    r"^\W*(?:RAPPORT\s+)?RETIR[ÉE]E?S?\W*$|^\W*(?:Rapport\s+)?[Rr]etir[ée]e?\W*$"
)
# The vote line, by verb family rather than one phrasing: what is voted (the proposal, the
# report, the deliberation, "mise aux voix") is adopted or rejected, or the body adopts or
# rejects it ("Le Bureau adopte la délibération", "Adopté à l'unanimité").
_VOTED = (
    r"(?:mise?\s+aux\s+voix|proposition|rapport|d[ée]lib[ée]ration|projet\s+de\s+d[ée]lib[ée]ration"
    r"|pr[ée]sente\s+d[ée]lib[ée]ration)"
)
_BODY_VOTING = r"(?:bureau|conseil|assembl[ée]e)(?:\s+(?:de\s+la\s+|m[ée]tropolitain|de\s+territoire|de\s+communaut[ée])[^.,;]{0,60}?)?"
_REJECTED_RE = re.compile(
    rf"\b{_BODY_VOTING}\s+(?:rejette|repousse|n'adopte\s+pas)\b"
    rf"|{_VOTED}[^.]{{0,60}}?\b(?:est|a\s+[ée]t[ée]|sont|ont\s+[ée]t[ée])\s+(?:rejet[ée]e?s?|repouss[ée]e?s?)"
    r"|n'(?:est|a)\s+pas\s+(?:[ée]t[ée]\s+)?adopt[ée]e?|^\W*(?:rejet[ée]e?|non\s+adopt[ée]e?)\b[^\n]{0,60}$",
    re.IGNORECASE | re.MULTILINE,
)
_ADOPTED_RE = re.compile(
    rf"{_VOTED}[^.]{{0,60}}?\b(?:est|a\s+[ée]t[ée]|sont|ont\s+[ée]t[ée])\s+adopt[ée]e?s?"
    rf"|\b{_BODY_VOTING}\s+(?:adopte|approuve\s+(?:la\s+pr[ée]sente|le\s+rapport))\b"
    r"|\badopt[ée]e?s?\s+(?:[àa]\s+l'unanimit[ée]|[àa]\s+la\s+majorit[ée]|par\s+\d+\s+voix)"
    r"|^\W*adopt[ée]e?s?\b[^\n]{0,60}$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Header:
    """What identifies the act."""

    authority: str
    body: str | None
    territory_id: str | None
    session_date: str | None
    deliberation_code: str | None
    reference: str | None
    title: str | None
    members_present: int | None
    outcome: str | None
    presence_counted: bool = False  # the header counts those present (in words we may not read)

    def missing(self) -> list[str]:
        """What of the act's identity could not be read (`header_incomplete`)."""
        gaps = [
            name
            for name, value in (
                ("code", self.deliberation_code),
                ("session date", self.session_date),
                ("body", self.body),
            )
            if value is None
        ]
        if self.body == "conseil-de-territoire" and self.territory_id is None:
            gaps.append("territory of the Conseil de Territoire")
        if self.presence_counted and self.members_present is None:
            gaps.append("members present (counted in the header)")
        return gaps


def fold_spaces(text: str) -> str:
    """Spaces folded to one, around the code's separators too (`ECO 024 -5567` stays readable)."""
    return " ".join(text.split())


def code_year(match: re.Match[str]) -> str:
    """The two digits of the year a CODE_RE match carries."""
    return match["yy"] or match["ctyy"]


@dataclass(frozen=True)
class _Code:
    """The act's own code, where it is printed, and what its form says of the body."""

    line: int
    text: str
    end: int  # where the code ends on its line: the title may follow
    suffix: str | None = None  # BM, CM, BC, CC, CT
    ct: str | None = None  # a Conseil de Territoire's number (CT5-094/21)


# A number the clerk labels as the act's own ("N° 2021_CT2_487", "Délibération n° CT5-094/21")
# in a form no pattern above knows: read as printed, when it is above the report.
_LABELLED_CODE = re.compile(
    r"^(?:d[ée]lib[ée]ration\s+)?n\s*[°o]\s*(?P<code>(?=[\w./-]*\d)[A-Z0-9][\w./-]{2,30}[\w])(?![\w/])",
    re.IGNORECASE,
)


def parse_header(document: DocumentText) -> Header:
    """Read the act's identity from its header zone, its title block and its closing line."""
    session = _session_date(document)
    code = _own_code(document, session)
    above_code = flatten(document.lines[: code.line if code is not None else 12])
    body, territory = _body(code, above_code)
    title, reference = _title_and_reference(document.lines, code)
    return Header(
        authority=_authority(code, above_code, session),
        body=body,
        territory_id=territory,
        session_date=session,
        deliberation_code=code.text if code else None,
        reference=reference,
        title=title,
        members_present=_members_present(document),
        outcome=_outcome(document),
        presence_counted=bool(_PRESENCE_COUNT.search(above_code)),
    )


def _session_date(document: DocumentText) -> str | None:
    head = flatten(document.header or document.lines[:20])
    for source in (head, document.full):
        for marker in _SESSION_RE.finditer(source):
            match = DATE_RE.match(source, marker.end())
            date = date_from_match(match) if match else None
            if date:
                return date.isoformat()
    return None


def _own_code(document: DocumentText, session: str | None) -> _Code | None:
    """The act's own code: the one printed above the report (the exposé, the visas and the
    articles only cite others); failing that, one on a line of its own, not cited after
    `délibération n°`, of the session's year."""
    header_end = len(document.header) if document.report else 0
    for index, line in enumerate(document.lines[:header_end]):
        for match in CODE_RE.finditer(line):
            if not _CITED_BEFORE.search(line[: match.start()]) or match.start() <= 3:
                return _code_of(index, match)
    for index, line in enumerate(document.lines[:header_end]):
        labelled = _LABELLED_CODE.match(line)
        if labelled:
            return _Code(index, labelled["code"], labelled.end())
    session_yy = session[2:4] if session else None
    candidates: list[tuple[int, int, re.Match[str]]] = []
    for index, line in enumerate(document.lines):
        for match in CODE_RE.finditer(line):
            cited = bool(_CITED_BEFORE.search(line[: match.start()]))
            rank = (
                (0 if match.start() <= 3 else 1)
                + (0 if not cited else 4)
                + (0 if session_yy in (None, code_year(match)) else 2)
            )
            candidates.append((rank, index, match))
    # A code cited after "délibération n°" is another act's, never this one's.
    candidates = [c for c in candidates if c[0] < 4]
    if not candidates:
        return None
    _, index, match = min(candidates, key=lambda c: (c[0], c[1]))
    return _code_of(index, match)


def _code_of(line: int, match: re.Match[str]) -> _Code:
    return _Code(
        line, fold_spaces(match["code"]), match.end(), match["body"], match["ct"] or match["ctn"]
    )


_TERRITORY_COUNCIL = re.compile(r"conseil\s+de\s+territoire", re.IGNORECASE)
_BODY_WORDS = (
    (
        "bureau",
        re.compile(r"bureau\s+(?:de\s+la\s+)?(?:m[ée]tropole|communaut[ée])", re.IGNORECASE),
    ),
    (
        "conseil",
        re.compile(
            r"conseil\s+(?:de\s+la\s+)?(?:m[ée]tropole|communaut[ée])|conseil\s+m[ée]tropolitain",
            re.IGNORECASE,
        ),
    ),
)


def _body(code: _Code | None, above_code: str) -> tuple[str | None, str | None]:
    """The body that voted the act (its code's suffix, else the header's words) and, for a
    Conseil de Territoire, its territory (its number, else the name after the words)."""
    council = _TERRITORY_COUNCIL.search(above_code)
    if code is not None and code.ct:
        return "conseil-de-territoire", TERRITORY_OF_CT[code.ct]
    if council or (code is not None and code.suffix == "CT"):
        named = (
            territory_index().find(above_code[council.end() : council.end() + 80])
            if council
            else []
        )
        return "conseil-de-territoire", named[0].id if named else None
    if code is not None and code.suffix:
        return _BODY_OF_SUFFIX[code.suffix], None
    found = [(m.start(), body) for body, words in _BODY_WORDS if (m := words.search(above_code))]
    return (min(found)[1] if found else None), None


_COMMUNITY = re.compile(
    r"communaut[ée]\s+urbaine|(?:conseil|bureau)\s+de\s+(?:la\s+)?communaut[ée]"
    r"|(?<!aix-)(?<!aix\s)(?<!aix-\s)marseille[\s-]+provence[\s-]+m[ée]tropole",
    re.IGNORECASE,
)


def _authority(code: _Code | None, above_code: str, session: str | None) -> str:
    """The former communauté urbaine (Marseille Provence Métropole, 2011-2015) or the Métropole."""
    if (code is not None and code.suffix in ("CC", "BC")) or _COMMUNITY.search(above_code):
        return FORMER_AUTHORITY
    if session is not None and session < METROPOLE_CREATED:
        return FORMER_AUTHORITY
    return AUTHORITY


def _title_and_reference(lines: list[str], code: _Code | None) -> tuple[str | None, str | None]:
    """The object printed under the code, up to the reference line or the rapporteur's line."""
    if code is None:
        return None, None
    code_line = code.line
    parts: list[str] = []
    reference = None
    first = lines[code_line][code.end :].strip(" -–:■•")
    # Some clerks print the registry number on the code's own line ("DEVT 048-820/16/BM MET 16/2035/BM").
    beside = REFERENCE_RE.search(first)
    if beside:
        reference = fold_spaces(beside["ref"])
        first = (first[: beside.start()] + first[beside.end() :]).strip(" -–:■•")
    if first:
        parts.append(first)
    for line in lines[code_line + 1 : code_line + 10]:
        ref = REFERENCE_RE.search(line)
        if ref:
            reference = reference or fold_spaces(ref["ref"])
            before = line[: ref.start()].strip()
            if before:
                parts.append(before)
            break
        if _TITLE_END.match(line) or _is_zone_start(line):
            break
        parts.append(line)
    if reference is None and code_line > 0:
        # Some clerks print the registry number on the line above the code.
        above = REFERENCE_RE.fullmatch(lines[code_line - 1].strip())
        if above:
            reference = fold_spaces(above["ref"])
    title = fold_spaces(_TITLE_PREFIX.sub("", " ".join(parts)))
    return (title or None), reference


def _is_zone_start(line: str) -> bool:
    return bool(re.match(r"^(?:rapport\s+suivant|vu\b|d[ée]lib[èe]re)", line, re.IGNORECASE))


def _members_present(document: DocumentText) -> int | None:
    match = _MEMBERS_RE.search(flatten(document.header or document.lines[:30]))
    if not match:
        return None
    return int(next(group for group in match.groups() if group))


def _outcome(document: DocumentText) -> str | None:
    text = document.full
    if _WITHDRAWN_RE.search(text) or any(_WITHDRAWN_STAMP.match(line) for line in document.lines):
        return "withdrawn"
    closing = "\n".join(document.operative[-25:]) if document.operative else text[-3000:]
    if _REJECTED_RE.search(closing):
        return "rejected"
    if _ADOPTED_RE.search(closing):
        return "adopted"
    return None
