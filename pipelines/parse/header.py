"""The act's identity: body, session date, code, reference, title, members present, outcome."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.parse.dates import DATE_RE, date_from_match
from pipelines.parse.text import DocumentText, flatten

# `ECO 024-5567/19/BM`, `HN 001-071/16/BM`, `ECOR 012-9876/21/CM`.
CODE_RE = re.compile(
    r"(?<![\w/])(?P<code>[A-Z][A-Z0-9]{0,7}(?:[ -][A-Z]{1,6})?\s*\d{1,4}\s*-\s*\d{1,6}\s*/\s*"
    r"(?P<yy>\d{2})\s*/\s*(?P<body>BM|CM))(?![\w])"
)
# `MET 19/10103/BM`: the Métropole's registry number, printed under the title.
REFERENCE_RE = re.compile(
    r"(?<![\w/])(?P<ref>[A-Z]{2,5}\s+\d{2}\s*/\s*\d{2,7}\s*/\s*(?:BM|CM))(?![\w])"
)
_CITED_BEFORE = re.compile(
    r"(?:n\s*°|n[or]\.?|num[ée]ro|d[ée]lib[ée]ration|du|la|par)\s*[:.]?\s*$", re.IGNORECASE
)
_SESSION_RE = re.compile(r"s[ée]ance\s+(?:publique\s+)?du\s+", re.IGNORECASE)
_MEMBERS_RE = re.compile(
    r"pr[ée]sents?\s*:?\s*(?P<a>\d{1,3})\s+(?:membres|conseillers|[ée]lus)"
    r"|(?P<b>\d{1,3})\s+(?:membres|conseillers|[ée]lus)\s+(?:[ée]taient\s+|sont\s+|ont\s+[ée]t[ée]\s+)?pr[ée]sents"
    r"|assist[ée]\s+(?P<c>\d{1,3})\s+(?:membres|conseillers|[ée]lus)",
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
_REJECTED_RE = re.compile(
    r"\b(?:bureau|conseil)\s+de\s+la\s+m[ée]tropole\s+rejette\b|(?:mise?\s+aux\s+voix|proposition|rapport|d[ée]lib[ée]ration)[^.]{0,60}?\b(?:est|a\s+[ée]t[ée])\s+"
    r"(?:rejet[ée]e?|repouss[ée]e?)|n'(?:est|a)\s+pas\s+(?:[ée]t[ée]\s+)?adopt[ée]e?",
    re.IGNORECASE,
)
_ADOPTED_RE = re.compile(
    r"(?:mise?\s+aux\s+voix|proposition)[^.]{0,60}?\b(?:est|a\s+[ée]t[ée])\s+adopt[ée]e?"
    r"|\badopt[ée]e?\s+(?:[àa]\s+l'unanimit[ée]|[àa]\s+la\s+majorit[ée])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Header:
    """What identifies the act."""

    body: str | None
    session_date: str | None
    deliberation_code: str | None
    reference: str | None
    title: str | None
    members_present: int | None
    outcome: str | None


def fold_spaces(text: str) -> str:
    """Spaces folded to one, around the code's separators too (`ECO 024 -5567` stays readable)."""
    return " ".join(text.split())


def parse_header(document: DocumentText) -> Header:
    """Read the act's identity from its header zone, its title block and its closing line."""
    session = _session_date(document)
    code_line, code = _own_code(document.lines, session)
    body = {"BM": "bureau", "CM": "conseil"}[code["body"]] if code else _body_from_text(document)
    title, reference = _title_and_reference(document.lines, code_line)
    return Header(
        body=body,
        session_date=session,
        deliberation_code=fold_spaces(code["code"]) if code else None,
        reference=reference,
        title=title,
        members_present=_members_present(document),
        outcome=_outcome(document),
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


def _own_code(lines: list[str], session: str | None) -> tuple[int | None, re.Match[str] | None]:
    """The act's own code: printed on a line of its own, not cited after `délibération n°`."""
    session_yy = session[2:4] if session else None
    candidates: list[tuple[int, int, re.Match[str]]] = []
    for index, line in enumerate(lines):
        for match in CODE_RE.finditer(line):
            cited = bool(_CITED_BEFORE.search(line[: match.start()]))
            rank = (
                (0 if match.start() <= 3 else 1)
                + (0 if not cited else 4)
                + (0 if session_yy in (None, match["yy"]) else 2)
            )
            candidates.append((rank, index, match))
    if not candidates:
        return None, None
    rank, index, match = min(candidates, key=lambda c: (c[0], c[1]))
    return index, match


def _body_from_text(document: DocumentText) -> str | None:
    head = flatten(document.header).lower()
    if "bureau de la m" in head:
        return "bureau"
    if "conseil de la m" in head or "conseil m" in head:
        return "conseil"
    return None


def _title_and_reference(lines: list[str], code_line: int | None) -> tuple[str | None, str | None]:
    """The object printed under the code, up to the reference line or the rapporteur's line."""
    if code_line is None:
        return None, None
    parts: list[str] = []
    reference = None
    first = CODE_RE.sub("", lines[code_line], count=1).strip(" -–:■•")
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
    return int(match["a"] or match["b"] or match["c"])


def _outcome(document: DocumentText) -> str | None:
    text = document.full
    if _WITHDRAWN_RE.search(text) or any(_WITHDRAWN_STAMP.match(line) for line in document.lines):
        return "withdrawn"
    closing = flatten(document.operative[-25:]) if document.operative else text[-3000:]
    if _REJECTED_RE.search(closing):
        return "rejected"
    if _ADOPTED_RE.search(closing):
        return "adopted"
    return None
