"""SYNTHETIC corpus: assemble one deliberation (fixed parts around a variation's draft)."""

from __future__ import annotations

import random

from pipelines.parse.record import DeliberationRecord
from pipelines.settings import AUTHORITY
from tests.synthetic import session as sitting
from tests.synthetic import wording
from tests.synthetic.document import Block, Document, Footer, Para, Spacer
from tests.synthetic.variations import Variation
from tests.synthetic.writer import Draft, Writer, fold

# Codes draw their sequence number from a permutation of 1..9999, unique within a run.
SEQ_MODULUS = 9999
SEQ_STEP = 7919  # prime, coprime with 9999


def sequence_number(index: int, seed: int) -> int:
    """The running number of the index-th act's code (distinct for 9999 consecutive indexes)."""
    offset = random.Random(f"seq:{seed}").randrange(SEQ_MODULUS)
    return 1 + (index * SEQ_STEP + offset) % SEQ_MODULUS


def build_document(index: int, seed: int, variation: Variation) -> Document:
    """Write the index-th document of a run: its blocks and its expected record."""
    rng = random.Random(f"polefunds-synthetic:{seed}:{index}:{variation.name}")
    session = sitting.make_session(
        rng,
        sequence_number(index, seed),
        body=variation.body,
        years=variation.years,
        months=variation.months,
        subject=variation.subject,
        before=sitting.VASSAL_FROM if variation.legacy else None,
    )
    writer = Writer(rng, session)
    draft = variation.build(writer)
    outcome = variation.outcome if variation.outcome != "adopted" else draft.outcome

    blocks: list[Block] = sitting.header_blocks(rng, session)
    blocks += sitting.title_blocks(session, draft.title, bold_title=rng.random() < 0.7)
    blocks.append(sitting.submission(session))
    blocks += draft.expose
    blocks.append(
        Para(
            "Telles sont les raisons qui nous incitent à proposer au "
            f"{session.body_name} de prendre la délibération ci-après :",
            space_after=10,
        )
    )
    blocks.append(Para(f"Le {session.body_name} Aix-Marseille-Provence,", space_after=10))
    blocks += _bulleted("Vu", _vu(rng, session, draft), rng)
    blocks.append(Para("Ouï le rapport ci-dessus,", space_after=8))
    blocks.append(Para("Entendues les conclusions du Commissaire Rapporteur,", space_after=8))
    considerants = draft.considerants or rng.sample(wording.CONSIDERANTS[:3], 1)
    blocks += _bulleted("Considérant", considerants, rng)
    blocks.append(Para("Délibère", bold=rng.random() < 0.5, space_after=10))
    first_label = rng.choices(("Article 1 :", "Article 1er :", "ARTICLE 1 :"), (8, 1, 1))[0]
    bold_labels = rng.random() < 0.3
    for number, article in enumerate(draft.articles, start=1):
        label = (
            first_label
            if number == 1
            else first_label.replace("1er", "1").replace("1", str(number))
        )
        blocks.append(Para(label, bold=bold_labels, space_after=6))
        blocks += article
    blocks += sitting.vote_line(rng, outcome)
    blocks += sitting.signature(rng, session)

    stamp_chance = 0.35 if variation.legacy or not session.vassal else 0.7
    stamped = variation.stamp if variation.stamp is not None else rng.random() < stamp_chance
    footer = Footer(
        stamp_lines=sitting.stamp_lines(rng, session) if stamped else [],
        page_format=rng.choice(
            ("{page}", "{page}", "Page {page}/{pages}", "- {page} -", "{page} / {pages}")
        ),
    )
    stem = f"{session.stem}-{draft.slug}"
    record = DeliberationRecord(
        file=f"{stem}.pdf",
        sha256="",
        status="ok",
        error=None,
        authority=AUTHORITY,
        body=session.body,
        territory_id=None,
        session_date=session.date.isoformat(),
        deliberation_code=session.code,
        reference=session.reference,
        title=fold(draft.title),
        outcome=outcome,  # type: ignore[typeddict-item]
        members_present=session.members_present,
        amends=draft.amends,
        grants=draft.grants,
        needs_review=False,
        review_reasons=[],
        annexes=[],
    )
    font = rng.choices(("helvetica", "vera", "times"), (6, 3, 1))[0]
    return Document(
        stem=stem,
        variation=variation.name,
        blocks=blocks,
        footer=footer,
        font=font,
        font_size=rng.choice((9.0, 9.5, 10.0, 10.5)),
        pdf_title=session.code,
        record=record,
    )


def _vu(rng: random.Random, session: sitting.Session, draft: Draft) -> list[str]:
    """The "Vu" items: laws, standing deliberations, this act's own citations, the avis."""
    items = sitting.standard_vu(rng, session) + draft.vu
    if not draft.amends and rng.random() < 0.35 and session.year > 2016:
        # An earlier act of the same kind, cited without being modified.
        year = session.year - rng.randint(1, min(3, session.year - 2016))
        code = sitting.other_code(rng, year, "conseil")
        items.append(
            f"La délibération n° {code} du Conseil de la Métropole approuvant la stratégie "
            "métropolitaine de développement économique ;"
        )
    items += sitting.territory_avis(rng, session, draft.avis)
    return items


def _bulleted(head: str, items: list[str], rng: random.Random) -> list[Block]:
    """A heading ("Vu", "Considérant") followed by bulleted items."""
    bullet = rng.choice(("• ", "- ", "• "))
    blocks: list[Block] = [Para(head, space_after=6)]
    blocks += [Para(bullet + item, indent=14, space_after=3) for item in items]
    blocks.append(Spacer(6))
    return blocks
