"""The review: each reason raised by an act (or a wrong reading) that deserves it, and not by a
clean one. Wrong readings are made by changing one field of a right one, as a parser bug would."""

from __future__ import annotations

import copy

import pytest

from pipelines.parse.grants import GrantReading, extract_grants
from pipelines.parse.header import parse_header
from pipelines.parse.review import review
from pipelines.parse.text import clean_lines, split_zones
from tests.conftest import SAMPLES, record_of_text
from tests.texts import deliberation


def codes(record: dict) -> list[str]:
    return [reason.split(":", 1)[0] for reason in record["review_reasons"]]


def reasons_after(text: str, change) -> list[str]:  # type: ignore[no-untyped-def]
    """The review of the act's reading once `change(reading)` has spoilt it."""
    document = split_zones(clean_lines([text]))
    header = parse_header(document)
    reading = extract_grants(document, [], header)
    assert review(document, [], header, reading) == []  # right before the change
    spoilt: GrantReading = copy.deepcopy(reading)
    change(spoilt)
    return [reason.split(":", 1)[0] for reason in review(document, [], header, spoilt)]


SPLIT_ACT = deliberation(
    report=(
        "Le budget prévisionnel 2019 du pôle s'élève à 986 004 euros. Il est proposé d'attribuer "
        "au Pôle Optitec une subvention de fonctionnement de 60 000 euros au titre de l'année 2019."
    ),
    articles=(
        "Article 1 :\nEst attribuée au Pôle Optitec une subvention de fonctionnement de 60 000 euros "
        "au titre de l'année 2019, prise en charge à hauteur de 45 000 euros sur le budget principal "
        "de la Métropole, Territoire Marseille Provence, et de 15 000 euros sur l'Etat Spécial de "
        "Territoire du Pays d'Aix."
    ),
)


def test_a_clean_act_is_not_flagged() -> None:
    record = record_of_text(SPLIT_ACT)
    assert record["needs_review"] is False
    assert record["review_reasons"] == []
    assert record["grants"][0]["amount_eur"] == 60000


def test_the_real_sample_is_not_flagged() -> None:
    from pipelines.parse import parse_pdf

    record = parse_pdf(SAMPLES / "bm-2019-03-28-eco-024-5567-optitec.pdf")
    assert (record["needs_review"], record["review_reasons"]) == (False, [])


def test_an_act_without_its_code_is_flagged() -> None:
    text = deliberation().replace("ECO 024-5567/19/BM\n", "")
    record = record_of_text(text)
    assert record["deliberation_code"] is None
    assert "header_incomplete" in codes(record)
    assert "code" in record["review_reasons"][0]


def test_an_act_without_a_vote_line_is_flagged() -> None:
    record = record_of_text(deliberation(closing="Certifié conforme."))
    assert record["outcome"] is None
    assert codes(record) == ["outcome_unknown"]


def test_a_sum_granted_to_nobody_is_kept_in_the_reasons() -> None:
    record = record_of_text(
        deliberation(
            title="Attribution d'une aide au titre du développement économique",
            report="La Métropole soutient le développement économique de son territoire.",
            articles="Article 1 :\nUne aide de 20 000 € est attribuée.",
        )
    )
    assert record["grants"] == []
    assert codes(record) == ["grant_without_beneficiary"]
    assert "20 000 €" in record["review_reasons"][0]


def test_a_sum_of_the_articles_with_no_role_is_flagged() -> None:
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de fonctionnement de "
                "60 000 euros.\nArticle 2 :\nUne provision de 12 000 euros est constituée."
            )
        )
    )
    assert codes(record) == ["unaccounted_amount"]
    assert "12 000 €" in record["review_reasons"][0]


def test_a_cost_or_another_funders_share_has_its_role() -> None:
    record = record_of_text(
        deliberation(
            title="Attribution d'une subvention d'investissement au Pôle OPTITEC",
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention d'investissement de "
                "60 000 euros pour un équipement dont le coût s'élève à 240 000 euros HT, la Région "
                "Sud apportant 90 000 euros."
            ),
        )
    )
    assert record["needs_review"] is False, record["review_reasons"]
    assert [g["amount_eur"] for g in record["grants"]] == [60000]


def test_a_stated_total_that_is_not_the_sum_of_the_grants() -> None:
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de fonctionnement de "
                "60 000 euros.\nArticle 2 :\nLa dépense, soit un total de 70 000 euros, est imputée "
                "au budget principal de la Métropole."
            )
        )
    )
    assert "total_mismatch" in codes(record)


def test_a_report_that_proposes_another_sum() -> None:
    record = record_of_text(
        deliberation(
            report="Il est proposé d'attribuer au Pôle Optitec une subvention de 50 000 euros.",
            articles="Article 1 :\nEst attribuée au Pôle Optitec une subvention de 60 000 euros.",
        )
    )
    assert codes(record) == ["report_disagrees"]


def test_a_report_that_splits_the_grant_otherwise() -> None:
    record = record_of_text(
        SPLIT_ACT.replace(
            "au titre de l'année 2019.\n",
            "au titre de l'année 2019, dont 30 000 euros sur l'Etat Spécial de Territoire du Pays "
            "d'Aix et 30 000 euros sur le budget principal de la Métropole, Territoire Marseille "
            "Provence.\n",
            1,
        )
    )
    assert "report_disagrees" in codes(record)


def test_a_pole_named_and_granted_nothing() -> None:
    record = record_of_text(
        deliberation(
            title="Attribution de subventions de fonctionnement aux pôles SAFE et Optitec",
            articles="Article 1 :\nEst attribuée au Pôle Optitec une subvention de 60 000 euros.",
        )
    )
    assert codes(record) == ["pole_without_grant"]


def test_a_pole_that_labelled_the_project_is_no_beneficiary() -> None:
    record = record_of_text(
        deliberation(
            title="Attribution d'une subvention à la société Lumiscan",
            articles=(
                "Article 1 :\nEst attribuée à la société Lumiscan, pour son projet labellisé par le "
                "pôle Optitec, une subvention de 30 000 euros."
            ),
        )
    )
    assert record["needs_review"] is False, record["review_reasons"]
    assert record["grants"][0]["pole_id"] is None


def test_a_grant_announced_and_not_found() -> None:
    record = record_of_text(
        deliberation(
            articles="Article 1 :\nEst approuvée la convention d'objectifs avec le Pôle Optitec."
        )
    )
    assert record["grants"] == []
    assert codes(record) == ["no_grant_found"]


def test_an_act_without_money_is_not_flagged() -> None:
    record = record_of_text(
        deliberation(
            title="Approbation d'une convention de partenariat avec le Pôle OPTITEC",
            articles=(
                "Article 1 :\nEst approuvée la convention de partenariat, sans incidence financière, "
                "avec le Pôle Optitec."
            ),
        )
    )
    assert (record["grants"], record["needs_review"]) == ([], False)


def _read_twice(reading: GrantReading) -> None:
    reading.grants.append(reading.grants[0])
    reading.drafts.append(reading.drafts[0])
    reading.sources.append(reading.sources[0])
    reading.budget_years.append(None)


@pytest.mark.parametrize(
    ("field", "change", "code"),
    [
        ("amount", lambda r: r.grants[0].update(amount_eur=45000), "unaccounted_amount"),
        ("year", lambda r: r.grants[0].update(funding_year=2020), "year_unclear"),
        ("kind", lambda r: r.grants[0].update(kind="membership"), "kind_unclear"),
        ("budget", lambda r: r.grants[0].update(programme_budget_eur=None), "budget_unclear"),
        ("pole", lambda r: r.grants[0].update(pole_id="safe"), "pole_unclear"),
        (
            "territory",
            lambda r: r.grants[0]["allocations"][1].update(territory_id="pays-salonais"),
            "charge_unclear",
        ),
        (
            "budget of a share",
            lambda r: r.grants[0]["allocations"][1].update(budget="principal"),
            "charge_unclear",
        ),
        ("twice", lambda r: _read_twice(r), "duplicate_grant"),
    ],
)
def test_a_wrong_field_is_flagged(field: str, change, code: str) -> None:  # type: ignore[no-untyped-def]
    assert code in reasons_after(SPLIT_ACT, change), field


def test_several_budgets_and_none_revised() -> None:
    record = record_of_text(
        deliberation(
            report=(
                "Le budget prévisionnel 2019 du pôle s'élève à 900 000 euros. Le budget de "
                "l'association est de 1 200 000 euros. Il est proposé d'attribuer au Pôle Optitec "
                "une subvention de 60 000 euros."
            ),
        )
    )
    assert "budget_unclear" in codes(record)


def test_a_revised_budget_replaces_the_first() -> None:
    record = record_of_text(
        deliberation(
            report=(
                "Le budget prévisionnel 2019 du pôle s'élevait à 900 000 euros ; son budget actualisé "
                "de 1 050 000 euros tient compte de deux salons. Il est proposé d'attribuer au Pôle "
                "Optitec une subvention de 60 000 euros."
            ),
        )
    )
    assert record["grants"][0]["programme_budget_eur"] == 1050000
    assert record["needs_review"] is False, record["review_reasons"]


def test_more_grants_than_the_title_announces() -> None:
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de 60 000 euros et une "
                "subvention de 10 000 euros."
            )
        )
    )
    assert "grant_count" in codes(record)
