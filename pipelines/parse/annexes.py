"""Acts whose grants are in an annex: the reference that says so, and the annex read in place.

An act may leave its amounts to an annex: "les subventions figurant dans le tableau
ci-annexé", "la répartition annexée à la présente délibération", "le détail des montants
figure en annexe". What the annex is matters: the head of the noun phrase it qualifies is
either a list of money (tableau, montants, répartition, liste, subventions…) or another
document (the very common "Est approuvée la convention ci-annexée", an avenant, statuts).
Only the first makes the act's grants depend on its annexes.

The annexes that hold money (a ruled table of grants, or of one grant's shares) are read as
if printed right after the sentence that refers to them: their lines go into the decision
part and their tables among the act's tables, so the grant reader and the review treat them
as the act's own (its kind, year and charge for what the annex leaves unsaid; a total row
that disagrees is a `total_mismatch`). When none can be read, the record says so
(`annex_unread`): the act's grants are not guessed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipelines.parse.clauses import GRANT_WORDS, split_clauses
from pipelines.parse.pdf_text import (
    TABLE_MARKER,
    TABLE_MARKER_RE,
    NoTextLayer,
    PdfContent,
    UnreadablePdf,
    read_pdf,
)
from pipelines.parse.tables import Row, table_grants, table_shares
from pipelines.parse.text import DocumentText, clean_lines

# An annex given to the parser: its name and its bytes (or the file that holds them, read only
# when the act refers to an annex for its amounts).
AnnexSource = tuple[str, bytes | Path]

# "ci-annexé(e)(s)", "annexé(e)(s) à la présente", "en annexe", "l'annexe 2", "annexe financière".
_MENTION = re.compile(r"\b(?:ci[-\s]?)?annex(?:e|es|[ée]|[ée]e|[ée]s|[ée]es)\b", re.IGNORECASE)
# A budget annexe is a budget of the Métropole (transports, eau), not an attached document.
_ANNEX_BUDGET = re.compile(r"budgets?\s+$", re.IGNORECASE)
_FINANCIAL_ANNEX = re.compile(r"^\s*financi[èe]re?s?\b", re.IGNORECASE)
# Heads of noun phrases: what the annex holds.
_MONEY_NOUN = (
    r"tableaux?|montants?|sommes?|r[ée]partitions?|ventilations?|listes?|subventions?|aides?"
    r"|attributions?|b[ée]n[ée]ficiaires?|cotisations?|participations?|contributions?|dotations?"
    r"|cr[ée]dits|enveloppes?|[ée]tats?\s+r[ée]capitulatifs?"
)
# Heads that say nothing by themselves: their complement does ("le détail des montants").
_NEUTRAL_NOUN = r"d[ée]tails?|ensemble|nature|pr[ée]sentation"
_DOCUMENT_NOUN = (
    r"conventions?|avenants?|statuts|feuilles?\s+de\s+route|r[èe]glements?|chartes?|contrats?"
    r"|protocoles?|cahiers?\s+des\s+charges|plans?|budgets?|programmes?|rapports?|bilans?"
    r"|comptes?[\s-]rendus?|proc[èe]s[\s-]verba(?:l|ux)|accords?|pactes?|dossiers?|documents?"
    r"|pi[èe]ces?|fiches?|projets?|cartes?|sch[ée]mas?|d[ée]lib[ée]rations?|modalit[ée]s"
    r"|engagements?|actions?|objectifs?"
)
_HEAD = re.compile(
    rf"\b(?:(?P<money>{_MONEY_NOUN})|(?P<document>{_DOCUMENT_NOUN})|(?P<neutral>{_NEUTRAL_NOUN}))\b",
    re.IGNORECASE,
)
# A noun after these is a complement ("la convention d'aide", "le montant des subventions"),
# not the head of the phrase.
_COMPLEMENT_BEFORE = re.compile(
    r"(?:\b(?:de|du|des|aux?|pour)\s+(?:la\s+|l'|les\s+|le\s+)?|\bd'|\bà\s+(?:la\s+|l'|les\s+)?)$",
    re.IGNORECASE,
)
_WINDOW = 110
# "annexé à la présente délibération", "annexée au présent rapport": the act itself.
_TO_THIS_ACT = re.compile(
    r"^\s*,?\s*(?:[àa]\s+la\s+pr[ée]sente(?:\s+d[ée]lib[ée]ration)?|au\s+pr[ée]sent\s+rapport)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AnnexReference:
    """The sentence that puts the act's amounts in an annex, and where the annex is read:
    after that many lines of the decision part."""

    sentence: str
    insert_at: int


@dataclass(frozen=True)
class Annex:
    """One annex of the act's card, read (or why it could not be)."""

    name: str
    sha256: str
    content: PdfContent | None
    error: str | None = None


@dataclass(frozen=True)
class AnnexReading:
    """The act with the annexes that hold its amounts read in place; `used` says which."""

    document: DocumentText
    tables: list[list[Row]]
    used: list[Annex]
    reasons: list[str]


def amounts_in_annex(sentence: str) -> bool:
    """Whether the sentence puts amounts, beneficiaries or a table of grants in an annex."""
    for mention in _MENTION.finditer(sentence):
        if _ANNEX_BUDGET.search(sentence[: mention.start()]):
            continue
        if _FINANCIAL_ANNEX.match(sentence[mention.end() :]):
            return True  # "l'annexe financière"
        head = _head_before(sentence[max(0, mention.start() - _WINDOW) : mention.start()])
        if head is None:
            head = _head_after(sentence[mention.end() : mention.end() + 60])
        if head == "money":
            return True
    return False


def _head_before(text: str) -> str | None:
    """What the nearest head noun before the mention is (money or document), complements skipped."""
    complement: str | None = None
    for match in reversed(list(_HEAD.finditer(text))):
        if _COMPLEMENT_BEFORE.search(text[: match.start()]):
            complement = _kind(match) or complement
            continue
        return _kind(match) or complement
    return None


def _head_after(text: str) -> str | None:
    """ "Sont annexés à la présente les tableaux de répartition": the head after the mention."""
    text = _TO_THIS_ACT.sub("", text)
    return next((kind for match in _HEAD.finditer(text) if (kind := _kind(match))), None)


def _kind(match: re.Match[str]) -> str | None:
    if match["money"]:
        return "money"
    return "document" if match["document"] else None


def annex_reference(document: DocumentText) -> AnnexReference | None:
    """Where the decision part or the report puts the act's amounts in an annex; None when
    neither does."""
    if not any("annex" in line.lower() for line in [*document.operative, *document.report]):
        return None  # most acts: no sentence to split
    clauses = split_clauses(document.operative)
    for clause in clauses:
        if clause.table is None and amounts_in_annex(clause.text):
            return AnnexReference(clause.text, _line_after(document.operative, clause.text))
    for clause in split_clauses(document.report):
        if clause.table is None and amounts_in_annex(clause.text):
            # The report announces the annex: it is read where the articles grant.
            granting = next((c for c in clauses if GRANT_WORDS.search(c.text)), None)
            insert_at = (
                _line_after(document.operative, granting.text)
                if granting
                else len(document.operative)
            )
            return AnnexReference(clause.text, insert_at)
    return None


def _line_after(lines: list[str], sentence: str) -> int:
    """The index of the line after the one where the sentence ends."""
    joined, ends, offset = "", [], 0
    for line in lines:
        joined += line + " "
        offset += len(line) + 1
        ends.append(offset)
    found = joined.find(sentence)
    if found < 0:
        return len(lines)
    end = found + len(sentence)
    return next((index + 1 for index, stop in enumerate(ends) if stop >= end), len(lines))


def read_annex(name: str, source: bytes | Path) -> Annex:
    """The annex's text and ruled tables, or why they cannot be read."""
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as error:
        return Annex(name, "", None, f"cannot read the file: {error.strerror}")
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return Annex(name, sha256, read_pdf(data))
    except (UnreadablePdf, NoTextLayer) as error:
        return Annex(name, sha256, None, " ".join(str(error).split()))


def holds_amounts(annex: Annex) -> bool:
    """Whether the annex holds a ruled table of grants (or of one grant's shares)."""
    if annex.content is None:
        return False
    return any(table_grants(rows) or table_shares(rows) for rows in annex.content.tables)


def with_annexes(
    document: DocumentText,
    tables: list[list[Row]],
    reference: AnnexReference,
    sources: Sequence[AnnexSource],
) -> AnnexReading:
    """The act with the annexes that hold its amounts read after the sentence that refers to
    them; the reason to review it when there are none."""
    annexes = [read_annex(name, source) for name, source in sources]
    used = [annex for annex in annexes if holds_amounts(annex)]
    if not used:
        return AnnexReading(document, tables, [], [_unread(reference, annexes)])
    inserted: list[str] = []
    merged_tables = list(tables)
    for annex in used:
        assert annex.content is not None
        offset = len(merged_tables)
        inserted += [_renumbered(line, offset) for line in clean_lines(annex.content.pages)]
        merged_tables += annex.content.tables
    at = reference.insert_at
    operative = [*document.operative[:at], *inserted, *document.operative[at:]]
    start = len(document.lines) - len(document.operative)
    lines = [*document.lines[: start + at], *inserted, *document.lines[start + at :]]
    merged = replace(document, lines=lines, operative=operative)
    return AnnexReading(merged, merged_tables, used, [])


def _renumbered(line: str, offset: int) -> str:
    """An annex's table marker, numbered among the act's tables."""
    marker = TABLE_MARKER_RE.fullmatch(line)
    return TABLE_MARKER.format(index=int(marker.group(1)) + offset) if marker else line


def _unread(reference: AnnexReference, annexes: list[Annex]) -> str:
    quoted = _quote(reference.sentence)
    if not annexes:
        return f"annex_unread: the act puts its amounts in an annex («{quoted}») and none was given"
    failed = [annex for annex in annexes if annex.content is None]
    if len(failed) == len(annexes):
        errors = "; ".join(f"{annex.name}: {annex.error}" for annex in failed)
        return f"annex_unread: the act puts its amounts in an annex («{quoted}»), none could be read ({errors})"
    return (
        f"annex_unread: the act puts its amounts in an annex («{quoted}»), none of its "
        f"{len(annexes)} annex(es) holds a table of grants"
    )


def _quote(sentence: str, most: int = 140) -> str:
    return sentence if len(sentence) <= most else sentence[: most - 1] + "…"
