"""Acts whose grants are in an annex: the wordings that put them there (and those that do not),
the annex read in place, and the record flagged when it cannot be (real PDFs rendered by
tests/synthetic/annexes.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipelines.parse import parse_bytes, parse_pdf
from pipelines.parse.annexes import amounts_in_annex
from tests.conftest import SAMPLES
from tests.synthetic.annexes import (
    ROWS,
    act_text,
    annexed_act,
    convention_text,
    render_text,
)

PUT_IN_AN_ANNEX = [
    "Sont attribuées aux pôles les subventions de fonctionnement figurant dans le tableau ci-annexé.",
    "Sont attribuées les subventions figurant en annexe.",
    "Les montants des subventions sont annexés à la présente délibération.",
    "Les subventions sont réparties conformément à l'annexe 1.",
    "Le détail des montants figure en annexe.",
    "Sont attribuées les subventions selon la répartition annexée.",
    "Sont attribuées aux bénéficiaires dont la liste est jointe en annexe les aides suivantes.",
    "Les crédits sont répartis selon le tableau en annexe.",
    "Sont annexés à la présente délibération les tableaux de répartition des subventions.",
    "Le montant de chaque cotisation est précisé dans l'annexe financière.",
    "Une subvention de 190 000 euros est répartie entre les pôles selon le tableau ci-annexé.",
    "Les participations de la Métropole, détaillées en annexe 2, sont approuvées.",
]
NOT_AN_ANNEX_OF_AMOUNTS = [
    "Est approuvée la convention ci-annexée.",
    "Sont approuvées les conventions d'objectifs ci-annexées, à conclure avec chacun des pôles.",
    "Est approuvée la convention d'aide ci-annexée, fixant les conditions de versement de la subvention.",
    "Est approuvée la convention de financement ci-annexée.",
    "Est approuvé l'avenant n° 1 à la convention du 18 juillet 2016 ci-annexé.",
    "Sont approuvés les statuts du Pôle métropolitain Delta Rhodanien ci-annexés.",
    "Ces aides seront versées selon les modalités prévues par les conventions jointes en annexe.",
    "Les crédits nécessaires sont inscrits au budget annexe Transports de la Métropole.",
    "Est approuvée la feuille de route métropolitaine pour l'innovation ci-annexée.",
    "Le détail des actions figure en annexe.",
    "Une subvention de 1 000 euros, selon les modalités fixées par la convention ci-annexée.",
    "La convention de partenariat ci-annexée prévoit une participation financière.",
    "Est approuvée la convention d'objectifs à conclure avec le Pôle SCS ci-annexée.",
    "Le plan de financement du projet, joint en annexe, est approuvé.",
    "Est attribuée au Pôle SCS une subvention de 50 000 euros.",
]


@pytest.mark.parametrize("sentence", PUT_IN_AN_ANNEX)
def test_wordings_that_put_the_amounts_in_an_annex(sentence: str) -> None:
    assert amounts_in_annex(sentence)


@pytest.mark.parametrize("sentence", NOT_AN_ANNEX_OF_AMOUNTS)
def test_wordings_that_do_not(sentence: str) -> None:
    assert not amounts_in_annex(sentence)


def codes(record: dict) -> list[str]:
    return [reason.split(":", 1)[0] for reason in record["review_reasons"]]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_an_act_whose_grants_are_in_its_annex_is_read_from_the_annex() -> None:
    act = annexed_act()
    record = parse_bytes(act.act, "act.pdf", act.annexes)
    assert (record["needs_review"], record["review_reasons"]) == (False, [])
    got = [(g["beneficiary"], g["pole_id"], g["amount_eur"]) for g in record["grants"]]
    assert got == list(ROWS)
    for grant in record["grants"]:
        # What the annex does not say comes from the act: the year, the budget it is charged to.
        assert (grant["kind"], grant["funding_year"]) == ("operating", 2021)
        assert grant["allocations"] == [
            {"territory_id": "metropole", "budget": "principal", "amount_eur": grant["amount_eur"]}
        ]
    # The table was read; the convention beside it was not used.
    annex, _ = act.annexes
    assert record["annexes"] == [sha(annex[1])]


def test_the_annex_gives_the_kind_and_split_it_states() -> None:
    act = render_text(
        act_text(
            "Sont attribuées les subventions figurant dans le tableau annexé à la présente "
            "délibération, au titre de l'année 2021."
        )
    )
    annex = render_text(
        """@font vera 9
@center @bold ANNEXE - Répartition 2021

@table 0.34 0.22n 0.22n 0.22n total
Bénéficiaire | Budget principal - Territoire Marseille Provence | Etat Spécial du Pays d'Aix | Subvention d'investissement
Pôle Mer Méditerranée | 30 000 € | 20 000 € | 50 000 €
Eurobiomed |  | 25 000 € | 25 000 €
Total | 30 000 € | 45 000 € | 75 000 €
@end
"""
    )
    record = parse_bytes(act, "act.pdf", [("annexe.pdf", annex)])
    assert record["review_reasons"] == []
    grants = {g["pole_id"]: g for g in record["grants"]}
    assert set(grants) == {"pole-mer-mediterranee", "eurobiomed"}
    mer = grants["pole-mer-mediterranee"]
    assert (mer["amount_eur"], mer["kind"], mer["funding_year"]) == (50000, "investment", 2021)
    assert mer["allocations"] == [
        {"territory_id": "marseille-provence", "budget": "principal", "amount_eur": 30000},
        {"territory_id": "pays-d-aix", "budget": "ets", "amount_eur": 20000},
    ]
    assert grants["eurobiomed"]["allocations"] == [
        {"territory_id": "pays-d-aix", "budget": "ets", "amount_eur": 25000}
    ]
    assert record["annexes"] == [sha(annex)]


def test_an_act_that_refers_to_an_annex_given_none_is_flagged() -> None:
    record = parse_bytes(annexed_act().act, "act.pdf")
    assert "annex_unread" in codes(record)
    assert "none was given" in record["review_reasons"][0]
    assert record["needs_review"] is True and record["annexes"] == []
    assert record["grants"] == []  # never guessed


def test_an_annex_whose_total_disagrees_flags_the_act() -> None:
    act = annexed_act(total=190000)
    record = parse_bytes(act.act, "act.pdf", act.annexes)
    assert [g["amount_eur"] for g in record["grants"]] == [amount for *_, amount in ROWS]
    assert codes(record) == ["total_mismatch"]
    assert "190 000 €" in record["review_reasons"][0]


def test_a_total_in_the_article_is_held_against_the_annex() -> None:
    act = render_text(
        act_text(
            "Sont attribuées aux pôles de compétitivité les subventions de fonctionnement "
            "figurant dans le tableau ci-annexé, pour un montant total de 200 000 euros."
        )
    )
    record = parse_bytes(act, "act.pdf", annexed_act().annexes)
    assert codes(record) == ["total_mismatch"]
    assert "200 000 €" in record["review_reasons"][0]


def test_an_unreadable_annex_or_one_without_amounts_flags_the_act() -> None:
    act = annexed_act().act
    broken = parse_bytes(act, "act.pdf", [("annexe.pdf", b"<html>Erreur 404</html>")])
    assert codes(broken)[0] == "annex_unread" and "could be read" in broken["review_reasons"][0]
    convention = render_text(convention_text())
    prose = parse_bytes(act, "act.pdf", [("annexe.pdf", convention)])
    assert codes(prose)[0] == "annex_unread"
    assert "holds a table of grants" in prose["review_reasons"][0]
    assert prose["annexes"] == [] and prose["grants"] == []


def test_an_act_that_does_not_refer_to_an_annex_never_opens_one(tmp_path: Path) -> None:
    sample = SAMPLES / "bm-2019-03-28-eco-024-5567-optitec.pdf"
    missing = tmp_path / "never-read.pdf"  # reading it would fail
    assert parse_pdf(sample, [missing]) == parse_pdf(sample)
    assert parse_pdf(sample)["annexes"] == []


def test_parse_pdf_reads_annex_files(tmp_path: Path) -> None:
    act = annexed_act()
    (tmp_path / "act.pdf").write_bytes(act.act)
    paths = []
    for name, data in act.annexes:
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    record = parse_pdf(tmp_path / "act.pdf", paths)
    assert [g["amount_eur"] for g in record["grants"]] == [amount for *_, amount in ROWS]
    assert record["annexes"] == [sha(act.annexes[0][1])]


def test_a_failed_record_has_no_annexes() -> None:
    record = parse_bytes(b"not a pdf", "bad.pdf", annexed_act().annexes)
    assert record["status"] == "unreadable" and record["annexes"] is None


def test_polefunds_parse_reads_an_act_with_its_annex(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.cli import main

    act = annexed_act(with_convention=False)
    act_file, annex_file = tmp_path / "act.pdf", tmp_path / "annexe.pdf"
    act_file.write_bytes(act.act)
    annex_file.write_bytes(act.annexes[0][1])
    assert main(["parse", str(act_file), "--annex", str(annex_file)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["review_reasons"] == [] and len(record["grants"]) == 3
    assert record["annexes"] == [sha(act.annexes[0][1])]
    assert main(["parse", str(act_file)]) == 0
    assert "annex_unread" in codes(json.loads(capsys.readouterr().out))
    assert main(["parse", str(act_file), str(act_file), "--annex", str(annex_file)]) == 2
