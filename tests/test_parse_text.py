"""Text-to-record: one test per variation of the acts' language, on literal texts."""

from __future__ import annotations

import pytest

from tests.conftest import record_of_text
from tests.texts import deliberation


def only_grant(text: str) -> dict:
    record = record_of_text(text)
    assert len(record["grants"]) == 1, record["grants"]
    return record["grants"][0]


def test_identity_of_a_2019_bureau_act() -> None:
    record = record_of_text(deliberation())
    assert record["status"] == "ok"
    assert record["body"] == "bureau"
    assert record["session_date"] == "2019-03-28"
    assert record["deliberation_code"] == "ECO 024-5567/19/BM"
    assert record["reference"] == "MET 19/10103/BM"
    assert record["title"] == "Attribution d'une subvention de fonctionnement au Pôle OPTITEC"
    assert record["members_present"] == 31
    assert record["outcome"] == "adopted"
    assert record["amends"] is None


def test_old_header_conseil_without_reference() -> None:
    record = record_of_text(
        deliberation(
            old_header=True,
            code="HN 001-071/16/CM",
            reference=None,
            date="jeudi 30 juin 2016",
            members=187,
            title="Attribution d'une subvention au pôle de compétitivité Eurobiomed",
            articles="Article 1 :\nEst attribuée au pôle Eurobiomed une subvention de 40 000 €.",
        )
    )
    assert record["body"] == "conseil"
    assert record["session_date"] == "2016-06-30"
    assert record["deliberation_code"] == "HN 001-071/16/CM"
    assert record["reference"] is None
    assert record["members_present"] == 187
    assert record["title"] == "Attribution d'une subvention au pôle de compétitivité Eurobiomed"
    grant = record["grants"][0]
    assert (grant["pole_id"], grant["amount_eur"], grant["funding_year"]) == (
        "eurobiomed",
        40000,
        2016,
    )


def test_title_over_two_lines_and_first_of_month() -> None:
    record = record_of_text(
        deliberation(
            date="1er juillet 2021",
            code="ECOR 012-9876/21/CM",
            reference="MET 21/55555/CM",
            title="Attribution d'une subvention d'investissement au Pôle Mer\nMéditerranée - Approbation d'une convention",
            articles="Article 1 :\nEst attribuée au Pôle Mer Méditerranée une subvention d'investissement de 100 000 €.",
        )
    )
    assert record["session_date"] == "2021-07-01"
    assert record["title"] == (
        "Attribution d'une subvention d'investissement au Pôle Mer Méditerranée - Approbation d'une convention"
    )
    grant = record["grants"][0]
    assert grant["pole_id"] == "pole-mer-mediterranee"
    assert grant["beneficiary"] == "Pôle Mer Méditerranée"
    assert grant["kind"] == "investment"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("60.000 euros", 60000),
        ("60 000 €", 60000),
        ("60 000,00 €", 60000),
        ("1.250.000 euros", 1250000),
    ],
)
def test_amount_spellings(written: str, value: int) -> None:
    grant = only_grant(
        deliberation(
            articles=f"Article 1 :\nEst attribuée au Pôle Optitec une subvention de {written}."
        )
    )
    assert grant["amount_eur"] == value
    assert grant["allocations"] == [
        {"territory_id": "metropole", "budget": "principal", "amount_eur": value}
    ]


def test_split_across_territories_in_the_articles() -> None:
    grant = only_grant(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de 60.000 euros. Celle-ci est prise en "
                "charge à hauteur de :\n- 45.000 euros sur le budget Principal Métropole du Territoire Marseille "
                "Provence\n- 15.000 euros par le Conseil de Territoire du Pays d'Aix"
            )
        )
    )
    assert grant["allocations"] == [
        {"territory_id": "marseille-provence", "budget": "principal", "amount_eur": 45000},
        {"territory_id": "pays-d-aix", "budget": "ets", "amount_eur": 15000},
    ]


def test_split_stated_only_in_the_report() -> None:
    grant = only_grant(
        deliberation(
            report=(
                "Le soutien financier de la Métropole s'élèvera à 50 000 euros, représentant 10 % du budget "
                "prévisionnel 2019 d'un montant de 500 000 euros.\nCe soutien se décompose comme suit :\n"
                "- 30 000 euros seront pris en charge sur l'Etat Spécial de Territoire du Pays Salonais\n"
                "- 20 000 euros seront pris en charge sur l'Etat Spécial de Territoire du Pays de Martigues."
            ),
            articles="Article 1 :\nEst attribuée au pôle Capenergies une subvention de 50 000 euros.",
        )
    )
    assert grant["programme_budget_eur"] == 500000
    assert grant["allocations"] == [
        {"territory_id": "pays-salonais", "budget": "ets", "amount_eur": 30000},
        {"territory_id": "pays-de-martigues", "budget": "ets", "amount_eur": 20000},
    ]


def test_single_territory_from_the_credits_article() -> None:
    grant = only_grant(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée une subvention de fonctionnement de 25 000 € au pôle SAFE.\n"
                "Article 2 :\nLes crédits nécessaires sont inscrits à l'Etat Spécial de Territoire du Pays "
                "d'Aubagne et de l'Etoile, chapitre 65."
            )
        )
    )
    assert grant["pole_id"] == "safe"
    assert grant["allocations"] == [
        {"territory_id": "pays-d-aubagne-et-de-l-etoile", "budget": "ets", "amount_eur": 25000}
    ]


def test_membership_fee_for_next_year_in_december() -> None:
    record = record_of_text(
        deliberation(
            date="12 décembre 2019",
            code="ECO 030-8001/19/CM",
            title="Adhésion de la Métropole au pôle Capenergies - Versement de la cotisation 2020",
            articles=(
                "Article 1 :\nEst approuvée l'adhésion de la Métropole au pôle Capenergies.\nArticle 2 :\n"
                "Est approuvé le versement d'une cotisation d'un montant de 3 000 euros au titre de l'année 2020."
            ),
        )
    )
    [grant] = record["grants"]
    assert (grant["pole_id"], grant["kind"], grant["amount_eur"], grant["funding_year"]) == (
        "capenergies",
        "membership",
        3000,
        2020,
    )


def test_amendment_gives_the_new_total_and_the_amended_code() -> None:
    record = record_of_text(
        deliberation(
            code="ECO 011-6001/19/BM",
            title="Modification de la subvention attribuée au pôle SCS",
            articles=(
                "Article 1 :\nLe montant de la subvention de fonctionnement attribuée au pôle SCS par la "
                "délibération n° ECO 005-3456/18/BM du 12 avril 2018 est porté de 50.000 euros à 65.000 euros."
            ),
        )
    )
    assert record["amends"] == "ECO 005-3456/18/BM"
    [grant] = record["grants"]
    assert (grant["pole_id"], grant["amount_eur"], grant["kind"]) == ("scs", 65000, "operating")


def test_withdrawn_report_keeps_its_grants() -> None:
    record = record_of_text(
        deliberation(
            report="Il est proposé d'attribuer au pôle Eurobiomed une subvention de fonctionnement de 30 000 euros.",
            articles="",
            closing="Ce rapport est retiré de l'ordre du jour.",
        ).replace("Délibère\n", "")
    )
    assert record["outcome"] == "withdrawn"
    [grant] = record["grants"]
    assert (grant["pole_id"], grant["amount_eur"]) == ("eurobiomed", 30000)


def test_rejected() -> None:
    record = record_of_text(deliberation(closing="Cette proposition mise aux voix est rejetée."))
    assert record["outcome"] == "rejected"


def test_several_grants_in_a_list() -> None:
    record = record_of_text(
        deliberation(
            title="Attribution de subventions aux pôles de compétitivité au titre de l'année 2019",
            articles=(
                "Article 1 :\nSont attribuées au titre de l'année 2019 les subventions de fonctionnement suivantes :\n"
                "- Pôle Optitec : 60 000 €\n- Pôle SCS : 45 000 €\n- Eurobiomed : 30 000 €"
            ),
        )
    )
    assert [(g["pole_id"], g["amount_eur"], g["kind"]) for g in record["grants"]] == [
        ("optitec", 60000, "operating"),
        ("scs", 45000, "operating"),
        ("eurobiomed", 30000, "operating"),
    ]


def test_several_grants_in_one_sentence() -> None:
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de 60 000 € et au pôle Capenergies "
                "une subvention de 20 000 €."
            )
        )
    )
    assert [(g["pole_id"], g["amount_eur"]) for g in record["grants"]] == [
        ("optitec", 60000),
        ("capenergies", 20000),
    ]


@pytest.mark.parametrize(
    ("articles", "beneficiary"),
    [
        (
            "Est attribuée à l'association Marseille Innovation, gestionnaire du Technopôle de Château-Gombert, "
            "une subvention de 80 000 euros.",
            "Marseille Innovation",
        ),
        (
            "Est attribuée à Pôle emploi une subvention de 20 000 euros pour le forum de l'emploi.",
            "Pôle emploi",
        ),
        (
            "Est attribuée à la société Photonis une subvention d'investissement de 150 000 € pour son projet "
            "labellisé par le pôle Optitec.",
            "Photonis",
        ),
    ],
)
def test_pole_named_traps_fund_no_pole(articles: str, beneficiary: str) -> None:
    grant = only_grant(
        deliberation(title="Attribution d'une subvention", articles=f"Article 1 :\n{articles}")
    )
    assert grant["pole_id"] is None
    assert grant["beneficiary"] == beneficiary


def test_partnership_without_money_has_no_grant() -> None:
    record = record_of_text(
        deliberation(
            title="Approbation d'une convention de partenariat avec le pôle SCS",
            report="Ce partenariat est sans incidence financière pour la Métropole.",
            articles="Article 1 :\nEst approuvée la convention de partenariat avec le pôle SCS, sans incidence financière.",
        )
    )
    assert record["grants"] == []


def test_multimodal_hub_works_are_not_a_grant() -> None:
    record = record_of_text(
        deliberation(
            title="Approbation de l'opération d'aménagement du pôle d'échanges multimodal de Saint-Charles",
            articles=(
                "Article 1 :\nEst approuvée l'opération d'aménagement du pôle d'échanges multimodal pour un coût "
                "total de 1.250.000 euros HT."
            ),
        )
    )
    assert record["grants"] == []


def test_background_mention_of_poles_is_not_a_grant() -> None:
    record = record_of_text(
        deliberation(
            title="Approbation de la stratégie de développement économique",
            report="La Métropole soutient les 6 pôles : Optitec, Eurobiomed, Mer Méditerranée, SCS, Capenergies, Safe.",
            articles="Article 1 :\nEst approuvée la stratégie de développement économique.",
        )
    )
    assert record["grants"] == []


def test_footer_stamp_does_not_leak_into_fields() -> None:
    record = record_of_text(deliberation())
    assert record["session_date"] == "2019-03-28"
    assert all("préfecture" not in (record[k] or "") for k in ("title", "reference"))


MP_PA_SPLIT = [
    {"territory_id": "marseille-provence", "budget": "principal", "amount_eur": 45000},
    {"territory_id": "pays-d-aix", "budget": "ets", "amount_eur": 15000},
]


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (
            "Il est attribué une subvention de fonctionnement d'un montant de 45 000 € à l'association Pôle Mer "
            "Méditerranée au titre de son programme d'actions 2020.",
            ("Pôle Mer Méditerranée", "pole-mer-mediterranee", "operating", 45000, 2020, None),
        ),
        (
            "La Métropole attribue au pôle de compétitivité SCS une subvention de 35.000 euros au titre de l'exercice 2020.",
            ("SCS", "scs", "other", 35000, 2020, None),
        ),
        (
            "Est approuvé le versement au Pôle Optitec d'une subvention de 60 000 euros.",
            ("Pôle Optitec", "optitec", "other", 60000, 2019, None),
        ),
        (
            "Est attribuée une subvention de 60 000 € au Pôle OPTITEC, dont 45 000 € au titre du budget principal "
            "(Territoire Marseille Provence) et 15 000 € au titre de l'Etat Spécial de Territoire du Pays d'Aix.",
            ("Pôle OPTITEC", "optitec", "other", 60000, 2019, MP_PA_SPLIT),
        ),
        (
            "Est attribuée au Pôle Optitec une subvention de 60 000 euros répartie entre le Territoire Marseille "
            "Provence (45 000 €) et le Pays d'Aix (15 000 €).",
            ("Pôle Optitec", "optitec", "other", 60000, 2019, MP_PA_SPLIT),
        ),
        (
            "La cotisation annuelle de la Métropole au pôle Aqua-Valley s'élève à 2 500 euros pour l'année 2020.",
            ("Aqua-Valley", "aqua-valley", "membership", 2500, 2020, None),
        ),
        (
            "Le Pôle SAFE bénéficie d'une subvention d'équipement de 30 000 €.",
            ("Pôle SAFE", "safe", "investment", 30000, 2019, None),
        ),
        (
            "Est attribuée au Pôle Innov'Alliance une subvention de 10 000 € imputée sur l'Etat Spécial de "
            "Territoire du Pays Salonais.",
            (
                "Pôle Innov'Alliance",
                "innov-alliance",
                "other",
                10000,
                2019,
                [{"territory_id": "pays-salonais", "budget": "ets", "amount_eur": 10000}],
            ),
        ),
        (
            "Est attribuée à Terralia une subvention de 12 000 euros (douze mille euros).",
            ("Terralia", "terralia", "other", 12000, 2019, None),
        ),
    ],
)
def test_other_wordings_of_one_grant(article: str, expected: tuple) -> None:
    grant = only_grant(
        deliberation(title="Attribution d'une subvention", articles=f"Article 1 :\n{article}")
    )
    beneficiary, pole_id, kind, amount, year, allocations = expected
    assert (grant["beneficiary"], grant["pole_id"], grant["kind"]) == (beneficiary, pole_id, kind)
    assert (grant["amount_eur"], grant["funding_year"]) == (amount, year)
    whole = [{"territory_id": "metropole", "budget": "principal", "amount_eur": amount}]
    assert grant["allocations"] == (allocations or whole)
