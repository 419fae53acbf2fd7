"""Lines of a zone -> clauses (sentences, list items, articles), and the role of each amount in them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from pipelines.parse.allocations import BUDGET_THEN_SUM, CHARGE_WORDS
from pipelines.parse.amounts import Amount, find_amounts
from pipelines.parse.pdf_text import TABLE_MARKER_RE
from pipelines.reference import territory_index

_ARTICLE_RE = re.compile(r"^article\s+(?:\d+|1\s*er|premier|unique)\b", re.IGNORECASE)
_BULLET_RE = re.compile(r"^(?:[-•▪►*]|\d+[.)]\s|[a-z]\)\s)")
# A sentence ends at a full stop after a word, a figure or a closing sign ("HT.", "2019."), not
# after a lone capital ("M. Dupont").
_SENTENCE_END = re.compile(
    r"(?:(?<=[a-zàâçéèêëîïôûùüÿœ)»\]€%0-9])|(?<=[A-Z]{2}))[.;]\s+(?=[A-ZÀÂÇÉÈÊËÎÏÔÛÙÜŒ«])"
)

# Another funder than the act's authority, as the one who gives the sum: "aux côtés de la
# Région Sud qui apporte 150 000 €", "la part de l'Etat, 20 000 €", "FEDER : 40 000 €".
_FUNDER = (
    r"(?:l'[ÉEé]tat|la\s+R[ée]gion(?:\s+Sud|\s+Provence[^,;.]{0,30})?|le\s+D[ée]partement(?:\s+des\s+Bouches-du-Rh[ôo]ne)?"
    r"|(?:le\s+)?conseil\s+(?:r[ée]gional|d[ée]partemental)|(?:le\s+|du\s+|au\s+titre\s+du\s+)?FEDER"
    r"|l'Union\s+europ[ée]enne|l'Europe|Bpifrance|BPI(?:\s+France)?|l'ADEME|la\s+(?:ville|commune)\s+d[e'][^,;.]{0,30}"
    r"|la\s+CCI[^,;.]{0,30}|l'ANR|les\s+autres\s+(?:financeurs|partenaires|collectivit[ée]s))"
)
OTHER_FUNDER_BEFORE = re.compile(
    rf"{_FUNDER}[^,;.]{{0,30}}?\b(?:qui\s+)?(?:apport|vers|attribu|financ|particip|contribu|octroi|octroy"
    r"|accord|prend\w*\s+en\s+charge|s'engag|mobilis|intervien|interven)\w*[^,;.]{0,40}$"
    rf"|(?:part|participation|financement|contribution|apport|aide|concours|intervention|subvention)s?\s+"
    rf"(?:de\s+|d'|du\s+|des\s+)?{_FUNDER}[^,;.]{{0,40}}$"
    r"|(?:subvention|aide|participation|contribution)s?\s+(?:r[ée]gionale|d[ée]partementale|europ[ée]enne"
    r"|de\s+l'[ÉEé]tat|FEDER|FSE)[^,;.]{0,40}$"
    rf"|(?:^|[-•,;(]\s*){_FUNDER}\s*(?:\([^)]*\))?\s*:\s*$"
    rf"|(?:financ|pris\w*\s+en\s+charge|support|abond)\w*\s+par\s+{_FUNDER}[^,;.]{{0,40}}$",
    re.IGNORECASE,
)


# Money coming in: "portant attribution à la Métropole d'une subvention de", "versés à la Métropole".
_AUTHORITY = (
    r"(?:la\s+M[ée]tropole(?:\s+(?:d')?Aix-Marseille-Provence)?|la\s+Communaut[ée]\s+urbaine)"
)
_TO_THE_AUTHORITY_BEFORE = re.compile(
    rf"(?:attribu\w*|vers\w*|octroi\w*|allou\w*|accord\w*|perception|re[çc]ue?s?|au\s+profit)\s+"
    rf"(?:par\s+[^,;.]{{1,40}}\s+)?(?:[àa]|de)\s+{_AUTHORITY}\b[^,;.]{{0,60}}$",
    re.IGNORECASE,
)
_TO_THE_AUTHORITY_AFTER = re.compile(
    rf"^\s*(?:HT|TTC)?\s*,?\s*(?:sont\s+|seront\s+)?(?:vers[ée]e?s?|attribu[ée]e?s?|allou[ée]e?s?)\s+[àa]\s+{_AUTHORITY}",
    re.IGNORECASE,
)


# What turns a sum into a grant: the act gives it to someone.
# Verbs by family, every form: verser (versera, versement...), donner, accorder, allouer,
# octroyer, attribuer, apporter, consacrer, bénéficier; nouns of money given.
GRANT_WORDS = re.compile(
    r"subvention|cotisation|adh[ée]sion|participation|contribution|\bvers(?:e|es|ent|er\w*|[ée]\w*|ement\w*|ons|ez)\b"
    r"|\baides?\b|soutien|concours|sollicit|attribu|allou|octroi|octroy|accord(?:e|es|ent|er\w*|[ée]\w*)\b"
    r"|\bdonn(?:e|es|ent|er\w*|[ée]e?s?)\b(?!\s+(?:lieu|acte|suite|mandat))|\bapport(?:e|ent|er\w*)\b"
    r"|\bconsacr\w*|\bb[ée]n[ée]ficie\w*|dotation|financement|\bfinanc(?:e|es|ent|er\w*|[ée]\w*)\b|port[ée]e?\s+de"
    r"|ramen[ée]e?\s+de|fix[ée]e?\s+[àa]",
    re.IGNORECASE,
)
# What a sum is when it is not given: somebody's budget, a cost, a total to share out. ("Cette
# dépense est imputée à hauteur de": the grant's own charge, not a cost.)
_NOT_GIVEN_BEFORE = re.compile(
    r"(?:budget(?!\s+(?:principal|annexe|de\s+la\s+m[ée]tropole|m[ée]tropolitain))|co[uû]t|montant\s+(?:global|total)"
    r"|total|d[ée]penses?(?!\s+(?:correspondantes?\s+)?(?:est|sont|sera|seront)\s+(?:imput|pris|inscrit|r[ée]parti))|plan\s+de\s+financement|capital|chiffre\s+d'affaires|enveloppe|assiette"
    r"|autorisation\s+de\s+programme|ann[ée]e\s+pr[ée]c[ée]dente|initialement|pr[ée]c[ée]demment"
    r"|d[ée]j[àa]\s+(?:attribu|vers)|au\s+lieu|en\s+lieu\s+et\s+place)[^;:,]{0,70}?(?:\bde|\bà|:|\bd'environ|s'[ée]l[èe]ve\s+[àa]|atteint"
    r"|estim[ée]e?\s+[àa]|[ée]valu[ée]e?\s+[àa]|arr[êe]t[ée]e?\s+[àa]|s'[ée]tablit\s+[àa]|\bsoit|\bpour)\s*$",
    re.IGNORECASE,
)
# "une subvention de fonctionnement d'un montant total de 40 000 €": the grant's own total.
_GRANT_TOTAL = re.compile(
    r"(?:subvention|participation|aide|contribution|cotisation|dotation|soutien\s+financier)"
    r"(?:\s+[\w'’]+){0,4}?\s+d'un\s+montant\s+(?:global|total)\s+de\s*$",
    re.IGNORECASE,
)
_FROM_TO_RE = re.compile(
    r"(?:port[ée]e?s?|ramen[ée]e?s?|pass[ée]e?s?|modifi[ée]e?s?)\s+de\s*$", re.IGNORECASE
)
# "les mots « 12 000 euros » sont remplacés par les mots « 10 000 euros »".
_REPLACED_BY = re.compile(
    r"\s*(?:HT|TTC)?\s*[»\"]?\s*,?\s*(?:sont|est|seront|sera)\s+remplac[ée]e?s?\s+par\s+"
    r"(?:les\s+mots|le\s+montant(?:\s+de)?|la\s+somme\s+de|celle\s+de|ceux\s+de)?\s*[«\"]?\s*",
    re.IGNORECASE,
)
_NEW_TOTAL_BEFORE = re.compile(
    r"(?:portant|port[ée]e?s?|ramen[ée]e?s?|fix[ée]e?s?\s+d[ée]sormais)\b(?![^.;]{0,160}?\bde\s*$)"
    r"[^.;]{0,160}?\bà\s*$",
    re.IGNORECASE,
)
_SHARE_BEFORE = re.compile(
    r"(?:[àa]\s+(?:hauteur|raison|concurrence)\s+de|\bdont|comme\s+suit\s*:?|\bet\s+de|\bsoit|[:(]|^\s*-)\s*$",
    re.IGNORECASE,
)
_RESTATED_TOTAL = re.compile(
    r"(?:\bsoit|au\s+total|en\s+tout|total\s+de|global\s+de)(?:\s+(?:un|une)\s+(?:montant|total|somme)"
    r"(?:\s+(?:total|global))?\s+de)?\s*$",
    re.IGNORECASE,
)
_GRANT_NOUN_BEFORE = re.compile(
    r"(?:subvention|cotisation|participation|contribution|aide|somme|montant|soutien\s+financier|dotation)"
    r"\s+(?:[\w'-]+\s+){0,4}?(?:de|d'un\s+montant\s+de|[àa]|s'[ée]l[èe]v\w*\s+[àa])\s*$",
    re.IGNORECASE,
)
_ALLOCATION_AFTER = re.compile(
    r"^\W{0,3}(?:seront\s+|sera\s+|est\s+|sont\s+)?(?:(?:pris|prise|prises)\s+en\s+charge\s+|imput[ée]+s?\s+"
    r"|inscrits?\s+|financ[ée]+s?\s+)?(?:sur|par|pour|au\s+titre\s+d|[àa]\s+la\s+charge|dans|au\s+budget"
    r"|[àa]\s+l'(?:[ée]tat|E\.?T\.?S)|aux\s+[ée]tats"
    r"|en\s+provenance|au\s+(?:territoire|conseil)|\()",
    re.IGNORECASE,
)
BUDGET_WORDS = re.compile(
    r"budget\s+principal|[ée]tat\s+sp[ée]cial|\bETS\b|conseil\s+de\s+territoire|territoire",
    re.IGNORECASE,
)

# What the report proposes to grant (not what was granted before).
PROPOSES = re.compile(
    r"s'[ée]l[èe]ver(?:a|ait)|propos|sollicit|attribuer|octroyer|allouer|verser|pourrait|serait|envisag",
    re.IGNORECASE,
)


class Role(Enum):
    """What an amount is in its clause."""

    GRANT = "grant"
    ALLOCATION = "allocation"
    OTHER = "other"


@dataclass(frozen=True)
class Clause:
    """One sentence or list item, flattened, with the article it belongs to."""

    text: str
    article: int
    table: int | None = None
    lead: str = ""  # for a list item: the sentence that introduces the list


@dataclass(frozen=True)
class RoledAmount:
    """An amount of a clause with its role and the text on either side, up to its neighbours."""

    amount: Amount
    role: Role
    before: str
    after: str
    new_total: bool = False  # "portant le montant de la subvention à ...": what an amendment grants


def split_clauses(lines: list[str]) -> list[Clause]:
    """Sentences and list items of a zone, in order, each tagged with its article number."""
    units: list[tuple[list[str], int]] = []
    article = 0
    for line in lines:
        table = TABLE_MARKER_RE.fullmatch(line)
        if table:
            units.append(([line], article))
            units.append(([], article))
            continue
        starts_unit = (
            not units
            or not units[-1][0]
            or _ARTICLE_RE.match(line)
            or _BULLET_RE.match(line)
            or _ends_unit(units[-1][0][-1], line)
        )
        if _ARTICLE_RE.match(line):
            article += 1
        if starts_unit:
            units.append(([line], article))
        else:
            units[-1][0].append(line)
    clauses: list[Clause] = []
    lead = ""
    for unit_lines, unit_article in units:
        if not unit_lines:
            continue
        text = " ".join(" ".join(unit_lines).split())
        table = TABLE_MARKER_RE.fullmatch(text)
        if table:
            clauses.append(
                Clause(text=text, article=unit_article, table=int(table.group(1)), lead=lead)
            )
            continue
        is_item = bool(_BULLET_RE.match(text))
        for sentence in _SENTENCE_END.split(text):
            if sentence.strip():
                clauses.append(Clause(sentence.strip(), unit_article, lead=lead if is_item else ""))
        if not is_item:
            lead = text if text.endswith(":") else ""
    return clauses


# A line that ends a sentence; or a colon, unless the line after goes on with its value
# ("budget prévisionnel 2025 :" / "2 900 000 €."), when the colon does not open a list.
_OPENS_LIST = re.compile(
    r"(?:suit|suivante?s?|ci-apr[èe]s|ci-dessous|hauteur\s+de|r[ée]partie?s?)\s*:$", re.IGNORECASE
)


def _ends_unit(previous: str, line: str) -> bool:
    if re.search(r"[.;]$", previous):
        return True
    if not previous.endswith(":"):
        return False
    goes_on = re.match(r"^(?:\d|€)", line) is not None
    return not goes_on or _OPENS_LIST.search(previous) is not None


def role_amounts(text: str, lead: str = "") -> list[RoledAmount]:
    """Each sum of the clause with its role: granted, charged to a budget, or neither."""
    amounts = find_amounts(text)
    gives_in_lead = bool(GRANT_WORDS.search(lead))
    roled: list[RoledAmount] = []
    for index, amount in enumerate(amounts):
        start = amounts[index - 1].end if index else 0
        end = amounts[index + 1].start if index + 1 < len(amounts) else len(text)
        before, after = text[start : amount.start], text[amount.end : end]
        role, new_total = _role(text, amount, before, after, gives_in_lead)
        roled.append(RoledAmount(amount, role, before, after, new_total))
    # "porté de 50.000 euros à 65.000 euros": the first sum is the old one, the second the new total.
    for index, item in enumerate(roled):
        from_to = (
            _FROM_TO_RE.search(item.before)
            or (
                re.search(r"\bde\s*$", item.before)
                and re.fullmatch(r"\s*(?:HT|TTC)?\s*à\s*", item.after)
            )
            or _REPLACED_BY.fullmatch(item.after)
        )
        if from_to and index + 1 < len(roled):
            roled[index] = RoledAmount(item.amount, Role.OTHER, item.before, item.after)
            following = roled[index + 1]
            roled[index + 1] = RoledAmount(
                following.amount, Role.GRANT, following.before, following.after, new_total=True
            )
    # "..., soit 275 000 € sur la période": a sum restating the total of the grants before it.
    for index, item in enumerate(roled):
        granted = [r.amount.value for r in roled[:index] if r.role is Role.GRANT]
        if (
            item.role is Role.GRANT
            and len(granted) >= 2
            and item.amount.value == sum(granted)
            and _RESTATED_TOTAL.search(item.before)
        ):
            roled[index] = RoledAmount(item.amount, Role.OTHER, item.before, item.after)
    # A complement given "portant le montant total à Y": the act grants the new total Y.
    if any(item.new_total for item in roled):
        roled = [
            item
            if item.new_total or item.role is not Role.GRANT
            else RoledAmount(item.amount, Role.OTHER, item.before, item.after)
            for item in roled
        ]
    return roled


def _role(
    text: str, amount: Amount, before: str, after: str, gives_in_lead: bool
) -> tuple[Role, bool]:
    if _NEW_TOTAL_BEFORE.search(before):
        return Role.GRANT, True
    return _plain_role(text, before, after, gives_in_lead), False


def _plain_role(text: str, before: str, after: str, gives_in_lead: bool) -> Role:
    near_before = before[-90:]
    if (
        _NOT_GIVEN_BEFORE.search(near_before)
        and not _FROM_TO_RE.search(near_before)
        and not _GRANT_TOTAL.search(near_before)
    ):
        return Role.OTHER
    if OTHER_FUNDER_BEFORE.search(near_before):
        return Role.OTHER
    if _TO_THE_AUTHORITY_BEFORE.search(near_before) or _TO_THE_AUTHORITY_AFTER.match(after):
        return Role.OTHER  # money the Métropole receives
    # A rate, not a grant ("3 000 € par an", "par membre"), unless the years it is paid for
    # follow ("3 000 € par an pour les exercices 2019 à 2021": a grant each year).
    if re.match(
        r"^\s*\)?\s*(?:(?:par\s+an|/\s*an)(?![^.;€]{0,60}\b20\d\d\b)|mensuels?|par\s+mois"
        r"|par\s+(?:membre|adh[ée]rent|entreprise))",
        after,
    ):
        return Role.OTHER
    if _charged_to(before, after, bool(CHARGE_WORDS.search(text))):
        # A share of a split ("à hauteur de 45 000 € sur ...", "dont 15 000 € par ..."), unless
        # the sum is the grant itself with its charge ("une subvention de 60 000 €, imputée sur ...").
        if _SHARE_BEFORE.search(before[-40:]) or not _GRANT_NOUN_BEFORE.search(before):
            return Role.ALLOCATION
        return Role.GRANT
    if gives_in_lead or GRANT_WORDS.search(text):
        return Role.GRANT
    return Role.OTHER


def _charged_to(before: str, after: str, charging: bool) -> bool:
    """Whether the sum is the share of a budget: a territory or budget named right beside it
    (`charging`: the clause speaks of charging sums, "imputée", "crédits", "Etat Spécial")."""
    if _ALLOCATION_AFTER.match(after) and _names_budget(after[:160]):
        return True
    # "Pays d'Aix : 15 000 €"; in a charging clause, "sur l'Etat Spécial de X à hauteur de 70 000 €".
    tail = before[-80:]
    named_first = re.search(r"[:(]\s*$", tail) or (charging and BUDGET_THEN_SUM.search(tail))
    return bool(named_first) and _names_budget(tail)


def _names_budget(text: str) -> bool:
    return bool(BUDGET_WORDS.search(text) or territory_index().find(text)) or bool(
        re.search(r"budget\s+(?:de\s+la\s+)?m[ée]tropol", text, re.IGNORECASE)
    )
