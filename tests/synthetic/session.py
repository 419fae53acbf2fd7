"""SYNTHETIC corpus: the sitting (body, date, codes, members) and the fixed parts of an act."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pipelines.parse.record import Body
from tests.synthetic import people, wording
from tests.synthetic.document import Block, Para, Spacer
from tests.synthetic.french import french_date, short_date
from tests.synthetic.reference import of_territory, territories

# Martine Vassal succeeded Jean-Claude Gaudin at the head of the Métropole in September 2018.
VASSAL_FROM = dt.date(2018, 9, 20)
SIGLE = {"bureau": "BM", "conseil": "CM"}
BODY_NAME = {"bureau": "Bureau de la Métropole", "conseil": "Conseil de la Métropole"}

# Commission prefixes by subject and era (the year in the code is the session's).
PREFIXES: dict[str, dict[int, tuple[str, ...]]] = {
    "eco": {
        2016: ("HN", "ECO", "DEVT"),
        2017: ("ECO", "DEVT"),
        2019: ("ECO",),
        2021: ("ECOR", "ECO"),
    },
    "mobility": {2016: ("TRA", "MOB"), 2019: ("MOB",), 2021: ("MOBI", "MOB")},
    "employment": {2016: ("DEVT", "ECO"), 2019: ("ECO", "EMP"), 2021: ("ECOR", "EMP")},
}


def _era(table: dict[int, tuple[str, ...]], year: int) -> tuple[str, ...]:
    """The entry of a year-keyed table in force in `year`."""
    return table[max(y for y in table if y <= year)]


@dataclass
class Session:
    """The sitting a deliberation was taken in, and the act's identifiers."""

    body: Body
    date: dt.date
    weekday: bool
    code: str  # folded, as the record gives it
    printed_code: str  # as the PDF prints it (sometimes with a doubled space)
    prefix: str
    rank: int
    seq: int
    reference: str | None
    members_present: int | None
    vassal: bool

    @property
    def year(self) -> int:
        """The session's year."""
        return self.date.year

    @property
    def body_name(self) -> str:
        """Bureau de la Métropole / Conseil de la Métropole."""
        return BODY_NAME[self.body]

    @property
    def president(self) -> str:
        """Who presides: "Madame la Présidente" or "Monsieur le Président"."""
        return "Madame la Présidente" if self.vassal else "Monsieur le Président"

    @property
    def stem(self) -> str:
        """The start of the file stem: bm-2019-03-28-eco-024-5567."""
        return (
            f"{SIGLE[self.body].lower()}-{self.date.isoformat()}-{self.prefix.lower()}"
            f"-{self.rank:03d}-{self.seq:03d}"
        )


def sitting_date(
    rng: random.Random,
    years: tuple[int, int],
    months: tuple[int, ...] | None = None,
    before: dt.date | None = None,
) -> dt.date:
    """A plausible sitting: mostly a Thursday, never in August, inside the bounds."""
    while True:
        year = rng.randint(*years)
        month = rng.choice(months or (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12))
        day = rng.randint(1, 20 if month == 12 else 28)
        date = dt.date(year, month, day)
        if rng.random() < 0.8:  # move to the Thursday of that week
            date += dt.timedelta(days=3 - date.weekday())
        elif date.weekday() >= 5:  # never on a week-end
            date -= dt.timedelta(days=date.weekday() - 4)
        if date.year != year or date.month != month:
            continue
        if before is None or date < before:
            return date


def code_of(prefix: str, rank: int, seq: int, year: int, body: Body) -> str:
    """ECO 024-5567/19/BM."""
    return f"{prefix} {rank:03d}-{seq:03d}/{year % 100:02d}/{SIGLE[body]}"


def other_code(rng: random.Random, year: int, body: Body, prefix: str | None = None) -> str:
    """The code of some other deliberation (cited in a "Vu" or amended)."""
    prefix = prefix or rng.choice(_era(PREFIXES["eco"], year))
    low = max(1, (year - 2016) * 1600)  # the running number grows by about 1,600 a year
    seq = rng.randint(low, low + 1500)
    return code_of(prefix, rng.randint(1, 240), seq, year, body)


def make_session(
    rng: random.Random,
    seq: int,
    *,
    body: Body | None = None,
    years: tuple[int, int] = (2016, 2025),
    months: tuple[int, ...] | None = None,
    subject: str = "eco",
    before: dt.date | None = None,
) -> Session:
    """Draw a sitting and the act's code, reference line and attendance."""
    body = body or ("conseil" if rng.random() < 0.3 else "bureau")
    date = sitting_date(rng, years, months, before)
    vassal = date >= VASSAL_FROM
    prefix = rng.choice(_era(PREFIXES[subject], date.year))
    rank = rng.randint(1, 60 if body == "bureau" else 240)
    code = code_of(prefix, rank, seq, date.year, body)
    printed = code.replace(" ", "  ", 1) if rng.random() < 0.08 else code
    has_reference = rng.random() < (0.3 if not vassal else 0.95)
    reference = (
        f"MET {date.year % 100:02d}/{rng.randint(1000, 29999)}/{SIGLE[body]}"
        if has_reference
        else None
    )
    if rng.random() < 0.05:
        members = None
    elif body == "bureau":
        members = rng.randint(24, 46)
    else:
        members = rng.randint(140, 228)
    return Session(
        body=body,
        date=date,
        weekday=rng.random() < 0.25,
        code=code,
        printed_code=printed,
        prefix=prefix,
        rank=rank,
        seq=seq,
        reference=reference,
        members_present=members,
        vassal=vassal,
    )


def header_blocks(rng: random.Random, s: Session) -> list[Block]:
    """Letterhead, sitting, attendance and the proposal sentence, up to the code line."""
    blocks: list[Block] = []
    registre = "BUREAU" if s.body == "bureau" else "CONSEIL"
    if not s.vassal:
        blocks.append(Para("METROPOLE AIX-MARSEILLE-PROVENCE", bold=True, align="center"))
        blocks.append(
            Para(
                f"EXTRAIT DES REGISTRES DES DELIBERATIONS DU {registre} DE LA METROPOLE",
                bold=True,
                align="center",
                space_after=12,
            )
        )
    else:
        if rng.random() < 0.5:
            blocks.append(Para("MÉTROPOLE", bold=True, space_after=0))
        blocks.append(Para(" AIX-MARSEILLE-PROVENCE", bold=True, space_after=12))
        if rng.random() < 0.3:
            blocks.append(Para(f"DÉLIBÉRATION DU {registre} DE LA MÉTROPOLE", bold=True))
    blocks.append(Para(f"Séance du {french_date(s.date, s.weekday)}", space_after=14))

    president = (
        "Madame Martine VASSAL, Présidente"
        if s.vassal
        else "Monsieur Jean-Claude GAUDIN, Président"
    )
    if s.members_present is None:
        opening = f"{president} de la Métropole Aix-Marseille-Provence, a ouvert la séance."
        listed = rng.randint(24, 46) if s.body == "bureau" else rng.randint(140, 228)
    else:
        opening = (
            f"{president} de la Métropole Aix-Marseille-Provence, a ouvert la séance à "
            f"laquelle ont été présents {s.members_present} membres."
        )
        listed = s.members_present
    blocks.append(Para(opening, space_after=10))

    chief = "Martine VASSAL" if s.vassal else "Jean-Claude GAUDIN"
    present = [n for n, _ in people.members(rng, listed - 1, {chief})] + [chief]
    absent = people.members(rng, rng.randint(0, 6) + rng.randint(0, 6), set(present))
    represented = absent[: len(absent) // 2]
    excused = absent[len(absent) // 2 :]
    if s.members_present is not None:  # without the count, no list to count from either
        blocks.append(Para("Etaient présents Mesdames et Messieurs :", space_after=0))
        blocks.append(Para(" - ".join(people.alphabetical(present)) + ".", space_after=10))
    if represented:
        lines = []
        for name, woman in represented:
            proxy = rng.choice(present)
            lines.append(f"{name} représenté{'e' if woman else ''} par {proxy}.")
        blocks.append(Para("Etaient absents et représentés Mesdames et Messieurs :", space_after=0))
        blocks.append(Para(" - ".join(lines), space_after=10))
    if excused:
        blocks.append(Para("Etaient absents et excusés Mesdames et Messieurs :", space_after=0))
        blocks.append(Para(" - ".join(n for n, _ in excused) + ".", space_after=10))
    blocks.append(Spacer(8))
    blocks.append(
        Para(
            f"{s.president} a proposé au {s.body_name} d'accepter les conclusions exposées "
            "ci-après et de les convertir en délibération.",
            space_after=16,
        )
    )
    return blocks


def title_blocks(s: Session, title: str, bold_title: bool) -> list[Block]:
    """The code line, the title and the reference line."""
    blocks: list[Block] = [Spacer(0, need=90), Para(s.printed_code, bold=True, space_after=2)]
    blocks.append(Para(title, bold=bold_title, space_after=2 if s.reference else 12))
    if s.reference:
        blocks.append(Para(s.reference, space_after=12))
    return blocks


def submission(s: Session) -> Para:
    """The sentence submitting the report to the Bureau or the Conseil."""
    who = (
        "Madame la Présidente de la Métropole Aix-Marseille-Provence"
        if s.vassal
        else "Monsieur le Président de la Métropole Aix-Marseille-Provence"
    )
    return Para(
        f"{who} sur proposition du Commissaire Rapporteur soumet au {s.body_name} le rapport "
        "suivant :",
        space_after=10,
    )


def standard_vu(rng: random.Random, s: Session) -> list[str]:
    """The laws and standing deliberations every act cites."""
    items = [
        "Le Code Général des Collectivités Territoriales ;",
        "La loi n°2014-58 du 27 janvier 2014 de modernisation de l'action publique "
        "territoriale et d'affirmation des métropoles ;",
        "La loi n°2015-991 du 7 août 2015 portant nouvelle organisation territoriale de la "
        "République ;",
    ]
    if rng.random() < 0.4:
        items.append(
            "La loi n°2000-321 du 12 avril 2000 relative aux droits des citoyens dans leurs "
            "relations avec les administrations ;"
        )
    if s.date > dt.date(2016, 4, 7):
        items.append(
            "La délibération n° HN 021-049/16/CM du Conseil de la Métropole du 7 avril 2016 "
            "adoptant le Règlement Budgétaire et Financier de la Métropole ;"
        )
    if s.body == "bureau" and s.date > dt.date(2016, 3, 17):
        if s.date >= dt.date(2020, 7, 17):
            delegation = "HN 009-8073/20/CM du Conseil de la Métropole du 17 juillet 2020"
        elif s.date >= dt.date(2018, 12, 14):
            delegation = "FAG 152-4969/18/CM du Conseil de la Métropole du 13 décembre 2018"
        else:
            delegation = "HN 002-023/16/CM du Conseil de la Métropole du 17 mars 2016"
        items.append(
            f"La délibération n°{delegation} portant délégation de compétences du Conseil de "
            "la Métropole au Bureau de la Métropole ;"
        )
    items.append(
        "La lettre de saisine de la Présidente de la Métropole ;"
        if s.vassal
        else "La lettre de saisine du Président de la Métropole ;"
    )
    return items


def territory_avis(rng: random.Random, s: Session, territory_ids: list[str]) -> list[str]:
    """The "Vu" items citing the avis of the territories charged."""
    items = []
    for territory_id in territory_ids:
        alias = territories()[territory_id].aliases[0]
        day = s.date - dt.timedelta(days=rng.randint(2, 12))
        items.append(
            f"L'avis du Conseil de Territoire {of_territory(alias)} du {french_date(day)} ;"
        )
    return items


def vote_line(rng: random.Random, outcome: str) -> list[Block]:
    """The outcome sentence closing the act."""
    if outcome == "withdrawn":
        text = rng.choice(
            (
                "Ce rapport est retiré de l'ordre du jour.",
                "Ce rapport est retiré de l'ordre du jour de la séance.",
            )
        )
        return [Spacer(8), Para(text, bold=rng.random() < 0.5, space_after=18)]
    if outcome == "rejected":
        return [Spacer(8), Para("Cette proposition mise aux voix est rejetée.", space_after=18)]
    suffix = rng.choice(wording.VOTE_SUFFIXES)
    blocks: list[Block] = [
        Spacer(8),
        Para(f"Cette proposition mise aux voix est adoptée{suffix}.", space_after=6),
    ]
    if suffix.startswith(" à la majorité") and rng.random() < 0.7:
        note = rng.choice(wording.VOTE_NOTES).format(member=people.person(rng)[0])
        blocks.append(Para(note, space_after=18))
    return blocks


def signature(rng: random.Random, s: Session) -> list[Block]:
    """The "Certifié Conforme" block with an invented signatory."""
    name, woman = people.person(rng)
    role = "La Vice-Présidente Déléguée" if woman else "Le Vice-Président Délégué"
    lead = rng.choice(("Certifié Conforme,", "Pour extrait conforme,", "Certifié conforme,"))
    return [
        Spacer(14),
        Para(lead, indent=250, space_after=8),
        Para(f"{role}\n{rng.choice(people.DELEGATIONS)}", indent=250, keep_lines=True),
        Spacer(24),
        Para(name, indent=250),
    ]


def stamp_lines(rng: random.Random, s: Session) -> list[str]:
    """The prefecture's receipt stamp: acte id with the sitting's date, transmission dates."""
    sent = s.date + dt.timedelta(days=rng.randint(1, 9))
    acte = f"013-200054807-{s.date:%Y%m%d}-lmc1{rng.randint(10000, 99999)}-DE"
    return [
        f"Accusé de réception en préfecture {acte}",
        f"Date de télétransmission : {short_date(sent)}",
        f"Date de réception préfecture : {short_date(sent)}",
    ]
