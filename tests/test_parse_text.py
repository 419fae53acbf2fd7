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


# Rules added for the fifth held-out set, each in a wording of its own.


def test_registry_number_on_the_code_line() -> None:
    record = record_of_text(
        deliberation(code="ECO 024-5567/19/BM    MET 19/10103/BM", reference=None)
    )
    assert record["deliberation_code"] == "ECO 024-5567/19/BM"
    assert record["reference"] == "MET 19/10103/BM"
    assert record["title"] == "Attribution d'une subvention de fonctionnement au Pôle OPTITEC"


SALON_MARTIGUES = [
    {"territory_id": "pays-salonais", "budget": "ets", "amount_eur": 20000},
    {"territory_id": "pays-de-martigues", "budget": "ets", "amount_eur": 10000},
]


@pytest.mark.parametrize(
    "charge",
    [
        "La dépense correspondante sera imputée à hauteur de 20 000 € sur l'Etat Spécial de Territoire du "
        "Pays Salonais et à hauteur de 10 000 € sur l'Etat Spécial de Territoire du Pays de Martigues.",
        "Cette subvention est imputée sur l'Etat Spécial du Territoire du Pays Salonais pour 20 000 € et sur "
        "l'Etat Spécial du Territoire du Pays de Martigues pour 10 000 €.",
        "Cette subvention est imputée pour 20 000 € à l'Etat Spécial de Territoire du Pays Salonais et pour "
        "10 000 € à l'Etat Spécial de Territoire du Pays de Martigues.",
        "Les crédits sont inscrits aux Etats Spéciaux de Territoire du Pays Salonais, à hauteur de 20 000 €, "
        "et du Pays de Martigues, à hauteur de 10 000 €.",
    ],
)
def test_split_in_a_credits_article(charge: str) -> None:
    grant = only_grant(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au pôle Capenergies une subvention de fonctionnement de "
                f"30 000 €.\nArticle 2 :\n{charge}"
            )
        )
    )
    assert (grant["amount_eur"], grant["allocations"]) == (30000, SALON_MARTIGUES)


def test_each_article_charges_its_own_grant() -> None:
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au pôle Eurobiomed une subvention de fonctionnement de 30 000 €.\n"
                "La dépense est imputée au budget principal de la Métropole.\n"
                "Article 2 :\nEst attribuée à l'association Provence Santé une subvention de 8 000 €.\n"
                "Cette somme sera imputée sur l'Etat Spécial de Territoire du Pays d'Aubagne et de l'Etoile."
            )
        )
    )
    charges = [(g["beneficiary"], g["allocations"][0]["territory_id"]) for g in record["grants"]]
    assert charges == [
        ("Eurobiomed", "metropole"),
        ("Provence Santé", "pays-d-aubagne-et-de-l-etoile"),
    ]


def test_a_credits_article_that_names_each_article() -> None:
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au pôle Terralia une subvention de 20 000 €.\n"
                "Article 2 :\nEst attribuée au pôle SAFE une subvention de 25 000 €.\n"
                "Article 3 :\nLes crédits sont inscrits à l'Etat Spécial de Territoire du Pays d'Aix pour la "
                "subvention prévue à l'article 1 et au budget principal de la Métropole pour la subvention "
                "prévue à l'article 2."
            )
        )
    )
    charges = [(g["pole_id"], g["allocations"][0]["territory_id"]) for g in record["grants"]]
    assert charges == [("terralia", "pays-d-aix"), ("safe", "metropole")]


def test_the_report_lends_its_charge_to_the_article() -> None:
    record = record_of_text(
        deliberation(
            report=(
                "Il est proposé d'attribuer :\n"
                "- au pôle Optitec, une subvention de 40 000 €, imputée sur le budget principal ;\n"
                "- à l'association Photonique Provence, une subvention de 9 000 €, prise en charge par "
                "l'Etat Spécial de Territoire du Pays de Martigues."
            ),
            articles=(
                "Article 1 :\nEst attribuée au pôle Optitec une subvention de 40 000 €.\n"
                "Article 2 :\nEst attribuée à l'association Photonique Provence une subvention de 9 000 €."
            ),
        )
    )
    charges = [(g["beneficiary"], g["allocations"]) for g in record["grants"]]
    assert charges[1] == (
        "Photonique Provence",
        [{"territory_id": "pays-de-martigues", "budget": "ets", "amount_eur": 9000}],
    )


def test_prizes_listed_with_a_label() -> None:
    record = record_of_text(
        deliberation(
            title="Prix de l'innovation 2019 - Attribution des prix",
            articles=(
                "Article 1 :\nSont attribués les prix suivants :\n"
                "- Catégorie santé : société NEUROTECH, 6 000 € ;\n"
                "- Catégorie énergie : HELIOS SAS, pour un montant de 4 000 € ;\n"
                "- Prix du jury : la société MARIS (2 500 €)."
            ),
        )
    )
    grants = [(g["beneficiary"], g["pole_id"], g["amount_eur"]) for g in record["grants"]]
    assert grants == [("NEUROTECH", None, 6000), ("HELIOS SAS", None, 4000), ("MARIS", None, 2500)]


def test_two_grants_to_the_beneficiary_named_once() -> None:
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nSont attribuées :\n"
                "- à l'association Provence Drones, une subvention de fonctionnement de 5 000 € ;\n"
                "- au pôle SAFE, une subvention de fonctionnement de 20 000 € et une subvention "
                "d'investissement de 15 000 €."
            ),
        )
    )
    grants = [(g["beneficiary"], g["kind"], g["amount_eur"]) for g in record["grants"]]
    assert grants[1:] == [("SAFE", "operating", 20000), ("SAFE", "investment", 15000)]


def test_yearly_sums_each_with_its_year() -> None:
    record = record_of_text(
        deliberation(
            title="Adhésion au pôle Aqua-Valley",
            articles=(
                "Article 1 :\nSont approuvées les cotisations au pôle Aqua-Valley : 2 000 euros pour 2019, "
                "2 000 euros pour 2020 et 2 400 euros pour 2021."
            ),
        )
    )
    grants = [(g["amount_eur"], g["funding_year"]) for g in record["grants"]]
    assert grants == [(2000, 2019), (2000, 2020), (2400, 2021)]


def test_a_total_for_several_years_broken_down_in_the_report() -> None:
    record = record_of_text(
        deliberation(
            title="Adhésion au pôle Terralia",
            report=(
                "Le barème du pôle fixe la cotisation de la Métropole à 1 500 euros pour 2019, 1 500 euros "
                "pour 2020 et 1 800 euros pour 2021."
            ),
            articles=(
                "Article 1 :\nEst approuvé le versement au pôle Terralia des cotisations des années 2019 à "
                "2021, pour un montant de 4 800 euros au total."
            ),
        )
    )
    grants = [(g["kind"], g["amount_eur"], g["funding_year"]) for g in record["grants"]]
    assert grants == [
        ("membership", 1500, 2019),
        ("membership", 1500, 2020),
        ("membership", 1800, 2021),
    ]


def test_an_amount_replaced_by_another() -> None:
    record = record_of_text(
        deliberation(
            title="Modification de la subvention attribuée au pôle Eurobiomed",
            report=(
                "Par délibération n° ECO 011-5001/19/BM du 14 février 2019, le Bureau a attribué au pôle "
                "Eurobiomed une subvention de fonctionnement de 30 000 euros."
            ),
            articles=(
                "Article 1 :\nA l'article 1 de la délibération n° ECO 011-5001/19/BM, le montant de "
                "30 000 euros est remplacé par le montant de 25 000 euros."
            ),
        )
    )
    assert record["amends"] == "ECO 011-5001/19/BM"
    assert [(g["pole_id"], g["amount_eur"]) for g in record["grants"]] == [("eurobiomed", 25000)]


def test_forecast_accounts_are_the_beneficiary_budget() -> None:
    grant = only_grant(
        deliberation(
            report=(
                "Les comptes prévisionnels du pôle pour 2019 s'établissent à 1 400 000 euros. Il est proposé "
                "d'attribuer au Pôle Optitec une subvention de 60.000 euros."
            )
        )
    )
    assert grant["programme_budget_eur"] == 1400000


def test_rows_of_one_beneficiary_by_territory_are_one_grant() -> None:
    table = [
        ["Bénéficiaire", "Territoire", "Montant"],
        ["Pôle Mer Méditerranée", "Marseille Provence", "25 000 €"],
        ["Pôle Mer Méditerranée", "Pays de Martigues", "15 000 €"],
        ["Aqua-Valley", "Pays d'Aix", "10 000 €"],
    ]
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nSont attribuées les subventions de fonctionnement suivantes :\n[[TABLE 0]]\n"
                "Article 2 :\nLes dépenses sont imputées sur les Etats Spéciaux de Territoire concernés."
            )
        ),
        tables=[table],
    )
    grants = [(g["pole_id"], g["amount_eur"], g["allocations"]) for g in record["grants"]]
    assert grants == [
        (
            "pole-mer-mediterranee",
            40000,
            [
                {"territory_id": "marseille-provence", "budget": "ets", "amount_eur": 25000},
                {"territory_id": "pays-de-martigues", "budget": "ets", "amount_eur": 15000},
            ],
        ),
        (
            "aqua-valley",
            10000,
            [{"territory_id": "pays-d-aix", "budget": "ets", "amount_eur": 10000}],
        ),
    ]


def test_a_table_whose_columns_are_beneficiaries() -> None:
    table = [
        ["Territoire", "Pôle SCS", "Optitec", "Total"],
        ["Marseille Provence", "30 000", "20 000", "50 000"],
        ["Pays d'Aix", "10 000", "-", "10 000"],
        ["Total", "40 000", "20 000", "60 000"],
    ]
    record = record_of_text(
        deliberation(
            title="Attribution de subventions de fonctionnement aux pôles SCS et Optitec",
            articles=(
                "Article 1 :\nSont attribuées les subventions de fonctionnement réparties comme suit :\n"
                "[[TABLE 0]]\nArticle 2 :\nLes dépenses sont imputées sur les Etats Spéciaux de Territoire."
            ),
        ),
        tables=[table],
    )
    grants = [(g["beneficiary"], g["amount_eur"], len(g["allocations"])) for g in record["grants"]]
    assert grants == [("Pôle SCS", 40000, 2), ("Optitec", 20000, 1)]


def test_sums_paid_in_past_years_are_no_schedule() -> None:
    grant = only_grant(
        deliberation(
            title="Attribution d'une subvention au pôle Capenergies",
            report="En 2017, la Métropole a versé 3 000 euros en 2017 et 3 000 euros en 2018 au pôle.",
            articles=(
                "Article 1 :\nEst attribuée au pôle Capenergies une subvention de 6 000 € au titre des "
                "années 2019 et 2020."
            ),
        )
    )
    assert (grant["amount_eur"], grant["funding_year"]) == (6000, 2019)


def test_a_beneficiary_in_its_own_sentence_is_no_share_of_the_grant_before() -> None:
    record = record_of_text(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au pôle SCS une subvention de fonctionnement de 50 000 €.\n"
                "Article 2 :\nEst attribuée à l'association Provence Aéro, implantée dans le Pays d'Aix, "
                "une subvention à hauteur de 15 000 €."
            )
        )
    )
    grants = [(g["beneficiary"], g["amount_eur"]) for g in record["grants"]]
    assert grants == [("SCS", 50000), ("Provence Aéro", 15000)]


def test_words_broken_at_the_margin_are_joined() -> None:
    # PDFium marks a hyphen that ends a line with U+FFFE and joins the two lines.
    grant = only_grant(
        deliberation(
            report="Les crédits sont exposés ci\ufffeaprès.",
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention d'investis\ufffesement de "
                "60.000 euros, imputée sur l'Etat Spécial de Territoire Istres\ufffeOuest Provence."
            ),
        )
    )
    assert grant["kind"] == "investment"
    assert grant["allocations"][0]["territory_id"] == "istres-ouest-provence"


def test_a_bare_noun_pointing_back_is_no_beneficiary() -> None:
    # "au Pôle" alone refers to the pôle the sentence named before: it is not a name.
    grant = only_grant(
        deliberation(
            title="Convention de partenariat avec le pôle Capenergies pour 2022",
            articles=(
                "Article 1 :\nEst approuvée la convention à conclure avec le pôle Capenergies, "
                "qui prévoit le versement à l'Association d'une subvention de fonctionnement "
                "de 25 000 euros."
            ),
        )
    )
    assert (grant["beneficiary"], grant["pole_id"]) == ("Capenergies", "capenergies")


def test_each_beneficiary_keeps_the_budget_of_its_own_presentation() -> None:
    record = record_of_text(
        deliberation(
            title="Subventions de fonctionnement aux pôles SAFE et Aqua-Valley",
            report=(
                "Le pôle SAFE réunit les acteurs des risques et de la sécurité. "
                "Son programme couvre la prévention des feux de forêt. "
                "Il repose sur un budget prévisionnel de 1 900 000 euros.\n"
                "Le pôle Aqua-Valley fédère la filière de l'eau. "
                "Son budget prévisionnel s'élève à 760 000 euros."
            ),
            articles=(
                "Article 1 :\nEst attribuée au pôle SAFE une subvention de fonctionnement de "
                "20 000 euros.\n"
                "Article 2 :\nEst attribuée au pôle Aqua-Valley une subvention de fonctionnement "
                "de 12 000 euros."
            ),
        )
    )
    budgets = {g["pole_id"]: g["programme_budget_eur"] for g in record["grants"]}
    assert budgets == {"safe": 1900000, "aqua-valley": 760000}


def test_a_budget_revised_since_replaces_the_first_one() -> None:
    grant = only_grant(
        deliberation(
            report=(
                "Le budget prévisionnel du pôle s'élevait à 1 300 000 euros. "
                "Une partie de ses actions étant reportée, son budget a été révisé à 1 150 000 euros."
            ),
        )
    )
    assert grant["programme_budget_eur"] == 1150000


def test_a_territory_header_wrapped_inside_a_word_and_between_words() -> None:
    # A narrow column breaks "Istres-Ouest Provence" as "Istres-Oue" / "st" / "Provence".
    table = [
        ["Pôle", "Pays de\nMartigues", "Istres-Oue\nst\nProvence", "Total"],
        ["Pôle Mer Méditerranée", "25 000", "15 000", "40 000"],
        ["Total", "25 000", "15 000", "40 000"],
    ]
    record = record_of_text(
        deliberation(
            title="Subvention de fonctionnement au Pôle Mer Méditerranée",
            articles=(
                "Article 1 :\nEst attribuée la subvention de fonctionnement répartie comme suit :\n"
                "[[TABLE 0]]\nArticle 2 :\nLes dépenses sont imputées sur les Etats Spéciaux de Territoire."
            ),
        ),
        tables=[table],
    )
    (grant,) = record["grants"]
    assert {(a["territory_id"], a["amount_eur"]) for a in grant["allocations"]} == {
        ("pays-de-martigues", 25000),
        ("istres-ouest-provence", 15000),
    }


def test_a_credits_article_restating_the_total_still_charges_every_grant() -> None:
    record = record_of_text(
        deliberation(
            title="Subventions de fonctionnement aux pôles SCS et Terralia",
            articles=(
                "Article 1 :\nSont attribuées les subventions de fonctionnement suivantes :\n"
                "- pôle SCS : 40.000 euros ;\n- pôle Terralia : 15.000 euros.\n"
                "Article 2 :\nLes crédits nécessaires, soit 55.000 euros, sont inscrits à l'Etat "
                "Spécial de Territoire du Pays d'Aix, chapitre 65."
            ),
        )
    )
    charged = {
        (g["pole_id"], a["territory_id"], a["budget"])
        for g in record["grants"]
        for a in g["allocations"]
    }
    assert charged == {("scs", "pays-d-aix", "ets"), ("terralia", "pays-d-aix", "ets")}


def test_a_budget_changed_from_one_sum_to_another_is_the_new_one() -> None:
    grant = only_grant(
        deliberation(
            report=(
                "Un nouveau programme porte le budget prévisionnel du pôle de 1 200 000 euros "
                "à 1 350 000 euros."
            ),
        )
    )
    assert grant["programme_budget_eur"] == 1350000
