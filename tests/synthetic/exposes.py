"""SYNTHETIC corpus: shared pieces of the exposé and the articles (intro, facts, clauses)."""

from __future__ import annotations

from tests.synthetic import wording
from tests.synthetic.document import Block, Para
from tests.synthetic.reference import (
    short_name,
)
from tests.synthetic.writer import (
    Writer,
    the_beneficiary,
)


def upper_first(text: str) -> str:
    """Capitalise the first letter only."""
    return text[:1].upper() + text[1:]


def strategy_intro(w: Writer) -> list[Block]:
    """The opening paragraphs on economic strategy and the pôles in general."""
    rng = w.rng
    blocks: list[Block] = [Para(rng.choice(wording.STRATEGY_OPENINGS).format(M=w.metropole()))]
    if rng.random() < 0.7:
        names = w.core_pole_list()
        count = names.count(",") + 1
        blocks.append(Para(wording.SIX_POLES_SENTENCE.format(n=count, names=names)))
    phase = wording.PHASES[max(y for y in wording.PHASES if y <= w.s.year)]
    for text in rng.sample(wording.POLES_IN_GENERAL, rng.randint(0, 3)):
        blocks.append(Para(text.format(phase=phase)))
    return blocks


def pole_facts(w: Writer, pole_id: str, year: int, count: int) -> list[Block]:
    """Paragraphs describing the pôle (members, themes, actions), some with counts."""
    rng = w.rng
    facts = wording.POLE_FACTS[pole_id]
    others = rng.sample(range(1, len(facts)), min(count, len(facts)) - 1)
    chosen = [0, *sorted(others)]
    members = rng.randint(120, 520)
    companies = int(members * rng.uniform(0.55, 0.8))
    blocks: list[Block] = []
    for index in chosen:
        text = facts[index]
        subject = w.pole_subject(pole_id, year)
        if not text.startswith("{name}") and subject.startswith("Le "):
            subject = "l" + subject[1:]
        blocks.append(
            Para(text.format(name=subject, members=members, companies=companies, year=year))
        )
    return blocks


def programme_paragraph(w: Writer, pole_id: str, funding_year: int) -> Para:
    """The paragraph "Le programme d'actions 2019 du Pôle X couvre ..."."""
    axes = w.rng.sample(wording.ACTION_AXES, w.rng.randint(2, 4))
    name = short_name(pole_id, w.s.year)
    of = f"du {name}" if name.startswith("Pôle") else f"du Pôle {name}"
    return Para(
        f"Le programme d'actions {funding_year} {of} couvre les domaines d'intervention "
        f"traditionnels des pôles de compétitivité : {' – '.join(axes)}."
    )


def convention_article(w: Writer, beneficiary: str) -> list[Block]:
    """The article approving the convention d'objectifs with the beneficiary."""
    return [
        Para(
            "Est approuvée la convention d'objectifs à conclure avec "
            f"{the_beneficiary(beneficiary)} ci-annexée."
        )
    ]


def signing_article(w: Writer) -> list[Block]:
    """The article allowing the president to sign the convention."""
    who = "Madame la Présidente" if w.s.vassal else "Monsieur le Président"
    mark = w.rng.choice(("autorisé", "autorisée", "habilité(e)")) if w.s.vassal else "autorisé"
    return [
        Para(
            f"{who} de la Métropole, ou son représentant, est {mark} à signer cette convention "
            "et tous les documents afférents."
        )
    ]


def funding_year_phrase(w: Writer, funding_year: int) -> str:
    """The phrase " au titre de l'année 2020" or " pour l'année 2020"."""
    return w.rng.choice((f" au titre de l'année {funding_year}", f" pour l'année {funding_year}"))


def long_filler(w: Writer, pole_id: str, funding_year: int) -> list[Block]:
    """Extra sections that make a report run over several pages."""
    rng = w.rng
    blocks: list[Block] = [Para("Bilan des actions conduites", bold=True)]
    surveyed = rng.randint(60, 180)
    share = rng.randint(40, 80)
    blocks.append(
        Para(
            f"Une enquête a été menée auprès de {surveyed} entreprises adhérentes du Pôle au cours "
            f"de l'année {funding_year - 1} ; dans {share}% des cas, les entreprises déclarent "
            "que l'accompagnement du Pôle a facilité le montage de leurs projets."
        )
    )
    for axis, text in zip(
        rng.sample(wording.ACTION_AXES, 4), rng.sample(wording.AXIS_DETAILS, 4), strict=True
    ):
        blocks.append(Para(f"- {upper_first(axis)} :", bold=True, space_after=2))
        blocks.append(Para(text, indent=12))
    projects = rng.randint(20, 90)
    blocks.append(
        Para(
            f"Depuis sa création, le Pôle a labellisé plus de {projects * 10} projets, dont "
            f"{projects} ont été financés pour un montant total de R&D de plus de "
            f"{rng.randint(150, 900)} millions d'euros."
        )
    )
    return blocks
