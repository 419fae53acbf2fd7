"""A listing card's "Incidence financière", read: nothing, a sum spent, money coming in, or unread.

Pure. What the portal prints (archived cards, docs/crawling.md): `Sans.`; a total and its
split between budgets (`74 500 euros : 45 000 euros budget principal métropolitain du
Territoire …, 29 500 euros …`); HT/TTC pairs (`200 000,00 euros HT, soit 240 000,00 euros
TTC`); a cost (`Coût total 1 500 000 euros TTC`); money coming in (`Obtention d'une
subvention FSE à hauteur de 1 350 100.00 €`); sentences no rule accounts for (`La remise
accordée …`, a convention `portée de … à …`). The reader never guesses: a text it cannot
account for in full is `unread`, with the reason in `note`.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pipelines.parse.amounts import find_amounts
from pipelines.reference import fold, territory_index

# Stored beside each reading in the catalogue: bump it with any change of the rules below, and
# the cards of a catalogue read by other rules are read again when it is opened.
READER_VERSION = "1"

Kind = Literal["none", "expense", "income", "unread"]
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ImpactShare:
    """One share of the stated total: its sum, the budget words, what they name."""

    amount_eur: Decimal
    words: str
    # A territory named by the words; `metropole` for the Métropole's budget named alone.
    territory_id: str | None
    # `principal` (budget principal) or `ets` (Etat Spécial de Territoire); None if unnamed.
    budget: str | None


@dataclass(frozen=True)
class FinancialImpact:
    """What an "Incidence financière" states.

    total_eur: the total stated (of an HT/TTC pair, the TTC; an HT sum alone is its own
    total); total_ht_eur: the HT sum, wherever one is stated; split: the shares, where
    stated (they add up to the total). Both None for `none`, and for `income` or `unread`
    unless one sum alone is stated.
    """

    kind: Kind
    total_eur: Decimal | None = None
    total_ht_eur: Decimal | None = None
    split: tuple[ImpactShare, ...] = ()
    note: str = ""

    def split_json(self) -> str | None:
        """The split as the catalogue stores it (JSON, sums as decimal text); None if none."""
        if not self.split:
            return None
        return json.dumps(
            [
                {
                    "amount_eur": str(share.amount_eur),
                    "words": share.words,
                    "territory_id": share.territory_id,
                    "budget": share.budget,
                }
                for share in self.split
            ],
            ensure_ascii=False,
        )


# The whole text says there is none: "Sans.", "Néant", "Aucune", "Sans incidence financière".
_NONE = re.compile(
    r"(?:sans|neant|aucune?|nulle?|pas d'incidence|sans objet|0(?:,00)? ?(?:€|euros?))"
    r"(?: incidence)?(?: financiere)?(?: (?:pour|sur) (?:la metropole|le budget(?: \w+)?))?"
)
# Money coming in: received, obtained, transferred or paid back to the Métropole, another
# funder's share ("participation de l'Etat à hauteur de…", "cofinancement du Département").
_FUNDER = (
    r"(?:l'etat|la region|region|du departement|departement|l'europe|l'union europeenne|"
    r"l'ademe|la caf|l'anru|l'agence|la commune|la ville|bpifrance|feder|fse|feader)"
)
_INCOME = re.compile(
    r"\b(?:obtention|obtenir|obtenue?s?|recettes?|percu(?:e|es|s)?|percevoir|percevra|perception"
    r"|encaiss\w*|revers\w*|rembours\w*|transfer\w* a la metropole|au profit de la metropole"
    r"|cofinanc\w*|co-financ\w*|fse|feder|feader"
    rf"|(?:participation|subvention|financement|concours|contribution|aide|dotation|apport)s?"
    rf" (?:de |du |des |d')?{_FUNDER})"
)
# Stated alongside a sum, these make it something other than the act's total: a discount, a
# change of an earlier sum, a rate, a sum a year, a part of a sum.
_UNREAD_WORDS = re.compile(
    r"\b(?:remise|portee? de|porte de|augment\w*|diminu\w*|reduction|reduit\w*|hausse|baisse"
    r"|complement\w*|supplement\w*|avance|par an|annuel\w*|chaque annee|mensuel\w*|par mois"
    r"|restant|solde|reste a charge|net|nette|difference|equivalent\w*|donc)\b|%"
)
# A sentence with no sum that changes nothing about the total.
_HARMLESS = re.compile(
    r"^(?:(?:pas de|sans|aucun) (?:co-?financement|financement exterieur|recette)\w*"
    r"(?: (?:de|pour) l'operation| exterieur)?"
    r"|(?:les )?credits? (?:necessaires )?(?:sont |seront )?inscrits? au (?:bp|budget)[\w' ]*)$"
)
# What may introduce a total: "Coût total", "Le coût total de l'étude prévisionnelle est
# estimé à", "Montant :", "Pour un montant de". Any other word leaves the text unread.
_LABEL_WORDS = frozenset(
    re.findall(
        r"\w+",
        """le la l les de du des d a au aux un une pour soit est sera s eleve elevant elevera
    cout couts total totale global globale montant montants depense depenses enveloppe credit
    credits charge incidence financiere estime estimee estimes previsionnel previsionnelle
    prevu prevue operation projet etude travaux participation metropole metropolitaine
    subvention cotisation adhesion fonctionnement investissement engagement hauteur""",
    )
)
# What comes between a total and its shares: "74 500 euros : 45 000 euros …".
_SPLIT_OPENER = re.compile(
    r"^(?::|soit|reparti(?:e|s|es)? (?:comme suit|ainsi|entre|sur)\s*:?|dont\s*:?|repartition\s*:)$"
)
# Budget words: a share's or the total's destination.
_BUDGET = re.compile(r"\b(?:budgets?|bp|etat special|ets|territoire|metropol\w*)\b")
_SHARE_SEPARATOR = re.compile(r"\s*(?:,|;|\bet\b|\+|/|-)\s*$")
_HARMLESS_SUFFIX = re.compile(r"^,? ?(?:inscrits? au (?:bp|budget(?: principal)?)|ttc|ht)$")
_TAX = re.compile(
    r"^\s*(?:(?P<ht>H\.?\s?T\.?(?![\w])|hors\s+taxes?)|(?P<ttc>T\.?\s?T\.?\s?C\.?(?![\w])"
    r"|toutes\s+taxes\s+comprises))",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ])")


@dataclass(frozen=True)
class _Sum:
    value: Decimal
    tax: str | None  # "HT", "TTC" or None
    start: int
    end: int


def read_financial_impact(text: str) -> FinancialImpact:
    """The reading of one "Incidence financière" text (the words after its colon)."""
    text = " ".join(text.split())  # "1 350 100.00 €" is read by find_amounts
    folded = fold(text)
    bare = folded.strip(" .;")
    if not bare:
        return FinancialImpact("unread", note="empty")
    if _NONE.fullmatch(bare):
        return FinancialImpact("none")
    sentences = [s for s in _SENTENCE_END.split(text) if not _harmless(s)]
    incoming = [s for s in sentences if _INCOME.search(fold(s))]
    if incoming:
        return _income(sentences, incoming)
    if not re.search(r"[.!?)»]$", text) and not _ends_on_a_sum(text):
        return FinancialImpact("unread", note="the text may be cut off (no final full stop)")
    with_sums = [s for s in sentences if _sums(s)]
    if len(sentences) != 1 or len(with_sums) != 1:
        return FinancialImpact(
            "unread",
            note="several sentences, or one without a sum: nothing says which is the total",
        )
    return _expense(with_sums[0])


def _harmless(sentence: str) -> bool:
    return not _sums(sentence) and bool(_HARMLESS.fullmatch(fold(sentence).strip(" .")))


def _income(sentences: list[str], incoming: list[str]) -> FinancialImpact:
    if len(incoming) != len(sentences):
        return FinancialImpact("unread", note="money coming in and other sums, in one text")
    found = [s for sentence in incoming for s in _sums(sentence)]
    total = found[0].value if len(found) == 1 else None
    return FinancialImpact("income", total_eur=total, note="money coming in")


def _ends_on_a_sum(text: str) -> bool:
    found = _sums(text)
    return bool(found) and not text[found[-1].end :].strip()


def _sums(text: str) -> list[_Sum]:
    """Every sum of money in the text, with its HT or TTC mark (`H.T`, `T.T.C` too)."""
    found = []
    for amount in find_amounts(text):
        end = amount.end
        matched = text[amount.start : end]
        # The amount pattern takes a mark written in full ("HT", "hors taxes") with the sum.
        tax = (
            "HT"
            if re.search(r"\b(?:HT|hors taxes?)$", matched, re.IGNORECASE)
            else "TTC"
            if re.search(r"\bTTC$", matched, re.IGNORECASE)
            else None
        )
        mark = _TAX.match(text[end:]) if tax is None else None
        if mark:
            tax = "HT" if mark["ht"] else "TTC"
            end += mark.end()
        value = Decimal(str(amount.value)).quantize(CENT)
        found.append(_Sum(value, tax, amount.start, end))
    return found


def _expense(sentence: str) -> FinancialImpact:
    sums = _sums(sentence)
    folded = fold(sentence)
    if _UNREAD_WORDS.search(folded):
        return FinancialImpact(
            "unread", note="a discount, a change, a rate or a part of a sum: not a total"
        )
    label = folded[: sums[0].start].strip(" :,")
    if not set(re.findall(r"[a-z]+", label)) <= _LABEL_WORDS or re.search(r"\d", label):
        return FinancialImpact("unread", note=f"words before the sum not understood: {label!r}")
    suffix = sentence[sums[-1].end :].strip().rstrip(".").strip()
    gaps = [folded[a.end : b.start].strip() for a, b in itertools.pairwise(sums)]
    if len(sums) == 1:
        return _one_total(sums[0], suffix)
    if (
        len(sums) == 2
        and re.fullmatch(r",? ?soit,?", gaps[0])
        and {s.tax for s in sums}
        == {
            "HT",
            "TTC",
        }
    ):
        return _tax_pair(sums, suffix)
    if _SPLIT_OPENER.fullmatch(gaps[0]):
        return _total_and_split(sentence, sums, suffix)
    return FinancialImpact("unread", note="several sums, none stated as the total of the others")


def _one_total(total: _Sum, suffix: str) -> FinancialImpact:
    if not suffix or _HARMLESS_SUFFIX.fullmatch(fold(suffix)):
        return _expense_of(total, ())
    share = _share(total, suffix)
    if share is None:
        return FinancialImpact("unread", note=f"words after the sum not understood: {suffix!r}")
    return _expense_of(total, (share,))


def _tax_pair(sums: list[_Sum], suffix: str) -> FinancialImpact:
    if suffix and not _HARMLESS_SUFFIX.fullmatch(fold(suffix)):
        return FinancialImpact("unread", note=f"words after the sums not understood: {suffix!r}")
    ht = next(s for s in sums if s.tax == "HT")
    ttc = next(s for s in sums if s.tax == "TTC")
    if ht.value > ttc.value:
        return FinancialImpact("unread", note="an HT sum above its TTC sum")
    return FinancialImpact("expense", total_eur=ttc.value, total_ht_eur=ht.value)


def _total_and_split(sentence: str, sums: list[_Sum], suffix: str) -> FinancialImpact:
    total, parts = sums[0], sums[1:]
    if len({s.tax for s in sums if s.tax}) > 1:
        return FinancialImpact("unread", note="HT and TTC sums mixed in one split")
    shares = []
    for rank, part in enumerate(parts):
        after = suffix if rank == len(parts) - 1 else sentence[part.end : parts[rank + 1].start]
        words = _SHARE_SEPARATOR.sub("", after) if rank < len(parts) - 1 else after
        share = _share(part, words.strip())
        if share is None:
            return FinancialImpact("unread", note=f"a share's words not understood: {words!r}")
        shares.append(share)
    added = sum((share.amount_eur for share in shares), Decimal(0))
    if added != total.value:
        return FinancialImpact(
            "unread",
            note=f"its shares add up to {added} €, not to its total {total.value} € "
            "(the text may be cut off)",
        )
    return _expense_of(total, tuple(shares))


def _expense_of(total: _Sum, split: tuple[ImpactShare, ...]) -> FinancialImpact:
    ht = total.value if total.tax == "HT" else None
    return FinancialImpact("expense", total_eur=total.value, total_ht_eur=ht, split=split)


def _share(amount: _Sum, words: str) -> ImpactShare | None:
    """A sum and the budget words after it; None when the words name no budget."""
    folded = fold(words)
    if (
        not _BUDGET.search(folded)
        or re.search(r"\d", folded)
        or _INCOME.search(folded)
        or _UNREAD_WORDS.search(folded)
    ):
        return None
    named = {match.id for match in territory_index().find(words)}
    if len(named) > 1:
        return None
    if named:
        territory: str | None = named.pop()
    elif re.search(r"metropol", folded):
        territory = "metropole"
    else:
        territory = None
    budget = (
        "ets"
        if re.search(r"etat special|\bets\b", folded)
        else "principal"
        if re.search(r"budget principal|\bbp\b", folded)
        else None
    )
    return ImpactShare(amount.value, words, territory, budget)
