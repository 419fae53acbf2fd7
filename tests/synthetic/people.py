"""SYNTHETIC corpus: invented names of elected members and signatories (not real people)."""

from __future__ import annotations

import random

FIRST_NAMES_F = (
    "Anne", "Béatrice", "Brigitte", "Catherine", "Chantal", "Christine", "Claude", "Corinne",
    "Danièle", "Dominique", "Éliane", "Évelyne", "Florence", "Françoise", "Geneviève", "Hélène",
    "Isabelle", "Josiane", "Karima", "Laure", "Lucie", "Marie-Pierre", "Marion", "Martine",
    "Michèle", "Monique", "Nadia", "Nathalie", "Patricia", "Pascale", "Sabine", "Samia",
    "Sandrine", "Solange", "Sophie", "Sylvie", "Valérie", "Véronique", "Yasmina", "Zohra",
)  # fmt: skip
FIRST_NAMES_M = (
    "Alain", "Alexandre", "André", "Antoine", "Bernard", "Bruno", "Christian", "Christophe",
    "Daniel", "David", "Didier", "Éric", "Frédéric", "Georges", "Gérard", "Guy", "Henri",
    "Jacques", "Jean", "Jean-Louis", "Jean-Marc", "Jean-Pierre", "Joël", "Lionel", "Louis",
    "Marc", "Maurice", "Michel", "Nicolas", "Olivier", "Patrick", "Philippe", "Pierre",
    "Régis", "René", "Richard", "Robert", "Roland", "Serge", "Stéphane", "Thierry", "Yves",
)  # fmt: skip
SURNAMES = (
    "ABBAD", "ALLÈGRE", "AMIEL", "ANDRÉ", "ARNAUD", "AUBERT", "AUDIBERT", "BACCINO", "BARLES",
    "BARRAL", "BARTHÉLÉMY", "BASTIDE", "BELLON", "BENARROCHE", "BENSAÏD", "BERTRAND", "BLANC",
    "BONNET", "BOREL", "BOYER", "BRUN", "CAMOIN", "CARLETTI", "CARREGA", "CASTELLI", "CHABAUD",
    "CHARRIER", "CHAUVIN", "CHIAPPE", "COLOMBANI", "COSTE", "CRESPIN", "DAUMAS", "DELMAS",
    "DI NOCERA", "DURAND", "ESCOFFIER", "ESTRADE", "FABRE", "FERRARI", "FIGUIÈRE", "FLORENS",
    "FOURNIER", "GAILLARD", "GARNIER", "GASQUET", "GAUTIER", "GIRAUD", "GIRAUDO", "GUÉRIN",
    "GUIGUES", "HADDAD", "HONORAT", "ICARD", "IMBERT", "JULLIEN", "LAMBERT", "LAUGIER",
    "LAURENT", "LE GALL", "LIONS", "LOMBARD", "MAGNAN", "MAILLET", "MARTINEZ", "MASSON",
    "MATTÉI", "MAUREL", "MERCIER", "MICHEL", "MILLE", "MOREL", "MOUTTE", "NAQUET", "NICOLAÏ",
    "OLIVE", "ORSINI", "PAGÈS", "PALMIERI", "PASCAL", "PELLEGRIN", "PERRIN", "PEYRE", "PINATEL",
    "POGGI", "QUILICI", "RAMBAUD", "RASPAIL", "REBOUL", "REYNAUD", "RICARD", "RIVIÈRE",
    "ROCCA", "ROUBAUD", "ROUSSET", "ROUX", "SALINI", "SANTONI", "SAUVAIRE", "SIMONI", "SOLER",
    "TAMBURINI", "TEISSIER", "TOMASI", "TOURNIAIRE", "TRABUC", "VALENTIN", "VERDIER",
    "VIDAL", "VINCENT", "ZUCCARELLI",
)  # fmt: skip

DELEGATIONS = (
    "Economie, Emploi, Attractivité",
    "Territoire numérique et Innovation technologique",
    "Stratégie et Développement économique",
    "Enseignement supérieur, Recherche et Innovation",
    "Développement économique, Emploi et Attractivité",
    "Innovation, Recherche et Transition numérique",
)


def person(rng: random.Random) -> tuple[str, bool]:
    """An invented elected member, "Prénom NOM", and whether she is a woman."""
    woman = rng.random() < 0.45
    first = rng.choice(FIRST_NAMES_F if woman else FIRST_NAMES_M)
    return f"{first} {rng.choice(SURNAMES)}", woman


def members(rng: random.Random, count: int, exclude: set[str]) -> list[tuple[str, bool]]:
    """`count` distinct invented members, none of them in `exclude`."""
    seen = set(exclude)
    result: list[tuple[str, bool]] = []
    while len(result) < count:
        name, woman = person(rng)
        if name not in seen:
            seen.add(name)
            result.append((name, woman))
    return result


def alphabetical(names: list[str]) -> list[str]:
    """Sort "Prénom NOM" names by surname, as the registers list them."""
    return sorted(names, key=lambda n: (n.split(" ", 1)[1] if " " in n else n, n))
