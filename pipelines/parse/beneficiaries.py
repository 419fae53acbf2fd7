"""Who receives a sum: the recipient named in a clause, and whether it is a pôle de compétitivité."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.reference import fold, pole_index

# "au Pôle X", "à l'association X", "en faveur du pôle X", "au profit de la société X".
_MARKER = (
    r"(?:(?:au\s+profit|en\s+faveur|aupr[èe]s)\s+(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')"
    r"|avec\s+(?:le\s+|la\s+|l')|à\s+l'|à\s+la\s+|aux\s+|au\s+|à\s+|pour\s+(?:le\s+|la\s+|l'))"
)
# A lookahead, so that a marker inside a rejected phrase is tried too ("à la convention conclue
# avec le Pôle X").
_RECIPIENT_RE = re.compile(
    rf"(?<![\w'])(?=(?P<marker>{_MARKER})(?P<name>[^,;:.()\[\]]{{2,160}})"
    r"(?P<acronym>\s*\([A-Z][\w'’\-]{1,15}\))?)",
    re.IGNORECASE,
)
# Where a name ends: the next phrase of the sentence.
_NAME_END = re.compile(
    r"\s(?:(?:une?|pour|afin|repr[ée]sentant|soit|sis|situ[ée]e?|dont|qui|selon|conform[ée]ment|relati(?:f|ve)"
    r"|portant|par|sur|est|sont|sera|seront|lui|leur|concernant|visant|ayant|pr[ée]vue?|dans|en"
    r"|b[ée]n[ée]ficie|per[çc]oit|re[çc]oit|se\s+voit|s'[ée]l[èe]v\w*|s'engage|obtient"
    r"|au\s+(?:titre|budget|cours)|[àa]\s+hauteur|ci-\w+"
    r"|(?:issu|cr[ée]{2}|[ée]largi|implant[ée]|install[ée]|bas[ée])e?s?)\b|n[ée]e?s?\s+d|d'une?\b|d'un\s+montant"
    r"|de\s+\d|s'[ée]levant"
    r"|d[eu]\s+(?:la\s+|l')?(?:cotisation|subvention|somme|montant|contribution|participation)\b"
    r"|et\s+(?-i:(?=[a-zàâçéèêëîïôûùüÿœ]))|-\s|–|\d)",
    re.IGNORECASE,
)
_ORGANISATION = re.compile(
    r"^(?:p[ôo]le|association|soci[ée]t[ée]|syndicat|commune|ville|entreprise|[ée]tablissement|groupement"
    r"|universit[ée]|chambre|agence|fondation|office|centre|institut|f[ée]d[ée]ration|cluster|r[ée]seau"
    r"|GIP|SPL|SEM|SCIC|SAS|SARL|SA)\b",
    re.IGNORECASE,
)
# Capitalised words that follow "au"/"à la" in these acts without naming a beneficiary.
_NOT_A_NAME = re.compile(
    r"^(?:bureau|conseil|m[ée]tropole|pr[ée]sidente?|madame|monsieur|budgets?|[ée]tats?|territoires?|articles?"
    r"|cr[ée]dits?|inscriptions?|r[ée]serve|exercices?|communaut[ée]"
    r"|r[èe]glement|conventions?|annexes?|commission|code|comit[ée]|vice|chapitre|nature|fonction|ligne"
    r"|total|pays|comptes?|programmes?|titre|plans?|projets?|contrats?|avenants?|d[ée]lib[ée]rations?|loi"
    r"|d[ée]cret|r[ée]gion|d[ée]partement|pr[ée]f(?:et|ecture)|p[ôo]les\s+de\s+comp[ée]titivit[ée]|p[ôo]les"
    r"|ordre|vote|compter|cours|sein|terme|hauteur|charge|profit|travers|regard)\b",
    re.IGNORECASE,
)
# A recipient phrase in these contexts names a partner of the real beneficiary, not the beneficiary.
_PARTNER_BEFORE = re.compile(
    r"(?:labellis[ée]e?s?|membres?|adh[ée]rente?s?|port[ée]e?s?|soutenue?s?|accompagn[ée]e?s?|partenaires?"
    r"|partenariat|issue?s?|au\s+sein|pilot[ée]e?s?|anim[ée]e?s?|coordonn[ée]e?s?|en\s+lien|appui"
    r"|rattach[ée]e?s?|li[ée]e?s?|affili[ée]e?s?|agr[ée][ée]e?s?|reconnue?s?|g[ée]r[ée]e?s?|gestionnaire)"
    r"(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
_COMPANY = re.compile(
    r"^(?:soci[ée]t[ée]|entreprise|SAS|SARL|SA|start-?up|laboratoire|bureau\s+d)\b", re.IGNORECASE
)
_COLON_NAME = re.compile(r"(?:^|[-•▪►*]\s*)(?P<name>[^:;,.]{2,100}?)\s*:\s*$")


@dataclass(frozen=True)
class Recipient:
    """A beneficiary named in a clause, where it stands, and its pôle if it is one."""

    name: str
    pole_id: str | None
    start: int
    end: int


def recipients(text: str) -> list[Recipient]:
    """Every beneficiary the clause names, left to right (partners of a beneficiary left out)."""
    found: list[Recipient] = []
    for match in _RECIPIENT_RE.finditer(text):
        name = _trim(match["name"])
        if not _is_name(name):
            continue
        if match["acronym"] and name == " ".join(match["name"].split()):
            name += (
                " " + match["acronym"].strip()
            )  # "Pôle Solutions Communicantes Sécurisées (SCS)"
        if _PARTNER_BEFORE.search(text[max(0, match.start() - 60) : match.start()]):
            continue
        start = match.start("name")
        found.append(Recipient(name, pole_of(name), start, start + len(name)))
    return found


def colon_recipient(before: str) -> Recipient | None:
    """The name of a list item written `Pôle Optitec : 60 000 €`."""
    match = _COLON_NAME.search(before)
    if not match:
        return None
    # "- au pôle OPTITEC : 45 000 €": the marker and the descriptor are not the name.
    name = _trim(re.sub(rf"^{_MARKER}", "", match["name"].strip(), flags=re.IGNORECASE))
    if not _is_name(name) or _SENTENCE.match(name):
        return None
    return Recipient(name, pole_of(name), match.start("name"), match.start("name") + len(name))


# What opens a sentence, not a name: "Sont approuvées les cotisations correspondantes : ...".
_SENTENCE = re.compile(
    r"^(?:est|sont|sera|seront|a|ont|il|elle|ils|elles|les|ces|cette|ce|cet|des|leurs?|soit|dont"
    r"|total|montant)\b",
    re.IGNORECASE,
)


# A list item that labels its beneficiary: "- Premier prix : société LUMINEO SAS, 10 000 euros",
# "- Lauréat santé : CARDIOSENSE (7 500 €)".
_LABELLED_ITEM = re.compile(
    r"^\s*(?:[-•▪►*]|\d+[.)]|[a-z]\))\s*[^:;,]{1,60}?\s*:\s*(?P<name>[^:;,()]{2,100}?)\s*[,(]\s*"
    r"(?:pour\s+un\s+montant\s+de\s+|soit\s+)?$",
    re.IGNORECASE,
)


def labelled_recipient(before: str) -> Recipient | None:
    """The beneficiary of a list item "label : name, sum" (a prize, a rank, a lot)."""
    match = _LABELLED_ITEM.match(before)
    if not match:
        return None
    name = _trim(re.sub(rf"^{_MARKER}", "", match["name"].strip(), flags=re.IGNORECASE))
    if not _is_name(name):
        return None
    return Recipient(name, pole_of(name), match.start("name"), match.start("name") + len(name))


# "participe au financement de la chaire PHOTON-IA portée par Aix-Marseille Université": the
# Métropole funds what another carries; when the clause names no recipient, the carrier is it.
_CARRIED_BY = re.compile(
    r"\b(?:port[ée]e?s?|conduite?s?|men[ée]e?s?|pilot[ée]e?s?|organis[ée]e?s?)\s+par\s+"
    r"(?P<name>[^,;:.()\[\]]{2,120})",
    re.IGNORECASE,
)


# "Marseille Innovation reçoit une subvention de 25 000 €": the subject of a verb of receiving.
_RECEIVES = re.compile(
    r"^\W*(?i:l'|le\s+|la\s+|les\s+)?(?P<name>[A-ZÀÂÉÈÊÎÔÛÇ][^,;:.()]{1,80}?)\s+(?:se\s+voit\s+(?:attribuer|accorder|allouer|octroyer)"
    r"|re[çc]oit|re[çc]oivent|per[çc]oit|per[çc]oivent|b[ée]n[ée]ficie(?:nt)?\s+d|obtient|obtiennent)\b",
)


def subject_recipient(text: str) -> Recipient | None:
    """The subject of a verb of receiving that opens the clause, when it is a name."""
    match = _RECEIVES.match(text)
    if not match:
        return None
    name = display_name(match["name"])
    if not _is_name(name):
        return None
    start = match.start("name")
    return Recipient(name, pole_of(name), start, start + len(name))


def carrier_recipient(text: str) -> Recipient | None:
    """The one who carries what a sum funds ("... portée par X"), when it is the only one."""
    found = [m for m in _CARRIED_BY.finditer(text)]
    if len(found) != 1:
        return None
    match = found[0]
    name = _trim(re.sub(r"^(?:l'|la\s+|le\s+|les\s+)", "", match["name"], flags=re.IGNORECASE))
    if not _is_name(name) or pole_of(name) is not None:
        return None  # a pôle that carries a project labels it; it is not paid for it
    start = match.start("name")
    return Recipient(name, None, start, start + len(name))


def pole_of(name: str) -> str | None:
    """The pôle de compétitivité a beneficiary's name designates, else None."""
    if _COMPANY.match(name):
        return None
    poles = {match.id for match in pole_index().find(name)}
    return poles.pop() if len(poles) == 1 else None


def same_beneficiary(a: str, b: str) -> bool:
    """Whether two spellings name the same beneficiary."""
    return _fold_name(a) == _fold_name(b) or (pole_of(a) is not None and pole_of(a) == pole_of(b))


def _fold_name(name: str) -> str:
    return re.sub(r"[\s\-']+", " ", fold(name)).strip()


# A lowercase generic noun before a name describes the beneficiary; it is not part of its name.
# (Case-sensitive: "Pôle OPTITEC" is a name, "pôle OPTITEC" a pôle called OPTITEC; the article
# may open a sentence: "L'association X reçoit".)
_DESCRIPTOR = re.compile(
    r"^(?:[lL]'|[lL]a\s+|[lL]e\s+)?(?:association|soci[ée]t[ée]|entreprise|start-up|structure"
    r"|p[ôo]le\s+de\s+comp[ée]titivit[ée]|p[ôo]le)\s+(?=\S)"
)


def display_name(name: str) -> str:
    """The beneficiary's name without a lowercase descriptor: "pôle de compétitivité SCS" -> "SCS"."""
    name = " ".join(name.split()).strip(" -–'\"«»“”")
    bare = _DESCRIPTOR.sub("", name).strip(" -–'\"«»“”")
    return bare if bare != name and _is_name(bare) else name


def _trim(raw: str) -> str:
    end = _NAME_END.search(raw)
    return display_name(raw[: end.start()] if end else raw)


def _is_name(name: str) -> bool:
    if len(name) < 2 or _NOT_A_NAME.match(name):
        return False
    # "le versement au Pôle d'une subvention": a noun alone points back to a name, is none.
    if _ORGANISATION.fullmatch(name):
        return False
    # A name starts with a capital, an organisation's noun, or a pôle's own name ("safe").
    return (
        name[0].isupper()
        or bool(_ORGANISATION.match(name))
        or any(match.start == 0 for match in pole_index().find(name))
    )
