"""Text-to-record tests for the rules that held-out sets 8 and 9 and the issue's list of silent
losses called for, each written in other words than the act that found it."""

from __future__ import annotations

import pytest

from tests.conftest import record_of_text
from tests.texts import deliberation

SHARES = (
    "\nElle est prise en charge comme suit :\n- 40 000 euros sur le budget principal de la Métropole, "
    "Territoire Marseille Provence ;\n- 15 000 euros sur l'Etat Spécial de Territoire du Pays d'Aix."
)


def grants_of(text: str, tables: list | None = None) -> list[tuple]:
    record = record_of_text(text, tables)
    return [
        (
            g["beneficiary"],
            g["pole_id"],
            g["kind"],
            g["amount_eur"],
            g["funding_year"],
            g["programme_budget_eur"],
            [(a["territory_id"], a["budget"], a["amount_eur"]) for a in g["allocations"]],
        )
        for g in record["grants"]
    ]


@pytest.mark.parametrize(
    ("closing", "outcome"),
    [
        ("La délibération est adoptée à l'unanimité.", "adopted"),
        ("Le Conseil de la Métropole adopte le présent rapport.", "adopted"),
        ("ADOPTÉ À L'UNANIMITÉ", "adopted"),
        ("Le projet de délibération n'est pas adopté.", "rejected"),
        ("Le Bureau de la Métropole rejette la proposition.", "rejected"),
        ("Les rapports ont été rejetés.", "rejected"),
    ],
)
def test_vote_lines_by_verb_family(closing: str, outcome: str) -> None:
    assert record_of_text(deliberation(closing=closing))["outcome"] == outcome


@pytest.mark.parametrize(
    "clause",
    [
        "Il sera versé à l'association Pôle Optitec la somme de cinquante-cinq mille euros (55 000 €).",
        "La Métropole donnera au Pôle Optitec 55 000 euros pour son programme.",
        "La Métropole consacre 55 000 euros au soutien du Pôle Optitec.",
        "Est attribuée au Pôle Optitec une subvention de € 55.000.",
        "Est attribuée au Pôle Optitec une subvention de EUR 55 000.",
    ],
)
def test_the_grant_is_the_sum_given_not_its_first_share(clause: str) -> None:
    [grant] = grants_of(deliberation(articles=f"Article 1 :\n{clause}{SHARES}"))
    assert grant[3] == 55000
    assert grant[6] == [
        ("marseille-provence", "principal", 40000),
        ("pays-d-aix", "ets", 15000),
    ]


def test_another_funder_giving_is_no_grant_of_the_metropole() -> None:
    grants = grants_of(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de 60 000 euros, l'Etat "
                "contribuant pour sa part à hauteur de 80 000 euros."
            )
        )
    )
    assert [g[3] for g in grants] == [60000]


def test_the_code_printed_on_the_title_line_is_the_acts_own() -> None:
    text = deliberation(
        code="DEVT 014-2233/17/BM Soutien au pôle Capenergies pour 2017",
        title="",
        reference=None,
        date="9 mars 2017",
    ).replace(
        "• La délibération n° HN 021-049/16/CM",
        "• Vu la délibération\nDEVT 002-1102/17/BM du Bureau ; la délibération n° HN 021-049/16/CM",
    )
    record = record_of_text(text)
    assert record["deliberation_code"] == "DEVT 014-2233/17/BM"
    assert record["title"] == "Soutien au pôle Capenergies pour 2017"


def test_a_territorys_budget_principal_in_brackets() -> None:
    [grant] = grants_of(
        deliberation(
            articles=(
                "Article 1 :\nUne subvention de 30 000 € est accordée au Pôle Optitec.\nArticle 2 :\n"
                "Cette dépense est imputée sur le budget principal de la Métropole (Territoire du Pays "
                "d'Aix)."
            )
        )
    )
    assert grant[6] == [("pays-d-aix", "principal", 30000)]


def test_a_budget_column_of_a_table_and_a_quoted_pole_name() -> None:
    table = [
        ["Structure", "Budget prévisionnel 2024", "Montant attribué"],
        [
            "pôle de compétitivité « Solutions\nCommunicantes Sécurisées »",
            "3 100 000 €",
            "45 000 €",
        ],
        ["Eurobiomed", "1 700 000 €", "25 000 €"],
    ]
    grants = grants_of(
        deliberation(
            date="14 mars 2024",
            code="ECOR-011-15500/24/CM",
            title="Attribution de subventions de fonctionnement à deux pôles",
            articles="Article 1 :\nSont attribuées les subventions de fonctionnement suivantes :\n[[TABLE 0]]",
        ),
        [table],
    )
    assert [(g[0], g[1], g[3], g[5]) for g in grants] == [
        ("Solutions Communicantes Sécurisées", "scs", 45000, 3100000),
        ("Eurobiomed", "eurobiomed", 25000, 1700000),
    ]


def test_a_split_introduced_by_a_concurrence_de() -> None:
    [grant] = grants_of(
        deliberation(
            articles=(
                "Article 1 :\nEst accordée au pôle Terralia une subvention de fonctionnement de "
                "18 000 euros.\nArticle 2 :\nElle est financée à concurrence de 10 000 euros par "
                "l'Etat Spécial de Territoire du Pays Salonais et de 8 000 euros par l'Etat Spécial de "
                "Territoire du Pays d'Aix."
            )
        )
    )
    assert (grant[3], grant[6]) == (
        18000,
        [("pays-salonais", "ets", 10000), ("pays-d-aix", "ets", 8000)],
    )


def test_each_sum_takes_the_year_written_on_its_own_side() -> None:
    grants = grants_of(
        deliberation(
            title="Versement des cotisations 2019 et 2020 au pôle Capenergies",
            articles=(
                "Article 1 :\nSont versées au pôle Capenergies la cotisation de l'exercice 2019, soit "
                "2 500 euros, et la cotisation de l'exercice 2020, soit 2 500 euros."
            ),
        )
    )
    assert [(g[2], g[3], g[4]) for g in grants] == [
        ("membership", 2500, 2019),
        ("membership", 2500, 2020),
    ]


def test_a_restated_total_of_yearly_grants_is_no_grant() -> None:
    grants = grants_of(
        deliberation(
            title="Convention pluriannuelle avec le Pôle OPTITEC",
            articles=(
                "Article 1 :\nSont attribuées au Pôle Optitec des subventions de fonctionnement de "
                "50 000 € pour l'année 2019, de 50 000 € pour l'année 2020 et de 55 000 € pour "
                "l'année 2021, soit au total 155 000 €."
            ),
        )
    )
    assert [(g[3], g[4]) for g in grants] == [(50000, 2019), (50000, 2020), (55000, 2021)]


def test_a_budget_of_one_year_is_that_years_grants() -> None:
    grants = grants_of(
        deliberation(
            title="Convention pluriannuelle avec le Pôle OPTITEC",
            report=(
                "Le budget prévisionnel 2019 du pôle atteint 1 200 000 €. La convention prévoit 50 000 € "
                "pour 2019 et 50 000 € pour 2020."
            ),
            articles=(
                "Article 1 :\nSont attribuées au Pôle Optitec des subventions de fonctionnement de "
                "50 000 € au titre de l'année 2019 et de 50 000 € au titre de l'année 2020."
            ),
        )
    )
    assert [(g[4], g[5]) for g in grants] == [(2019, 1200000), (2020, None)]


@pytest.mark.parametrize(
    "report",
    [
        "Son budget, d'abord estimé à 900 000 euros, a été actualisé : le budget actualisé de "
        "l'association est de 1 150 000 euros.",
        "Le budget 2019 de l'association passe de 900 000 euros à 1 150 000 euros.",
        "Le budget prévisionnel 2019 de l'association, réduit par l'annulation de plusieurs salons "
        "et de deux journées techniques à l'étranger, s'établit à 1 150 000 euros.",
    ],
)
def test_the_beneficiarys_budget_as_revised(report: str) -> None:
    [grant] = grants_of(deliberation(report=report))
    assert grant[5] == 1150000


def test_the_budget_of_a_thing_is_no_beneficiarys_budget() -> None:
    [grant] = grants_of(
        deliberation(
            report="Budget de la plateforme d'essais : 450 000 €.",
            articles="Article 1 :\nEst attribuée au Pôle Optitec une subvention de 60.000 euros.",
        )
    )
    assert grant[5] is None


def test_credits_lines_of_grants_stated_in_the_report_are_no_grants() -> None:
    table = [
        ["Pôle", "BP - Territoire Marseille Provence", "ETS Pays d'Aix", "Total"],
        ["Pôle SCS", "20 000 €", "10 000 €", "30 000 €"],
        ["Eurobiomed", "25 000 €", "", "25 000 €"],
        ["Total", "45 000 €", "10 000 €", "55 000 €"],
    ]
    grants = grants_of(
        deliberation(
            title="Subventions de fonctionnement aux pôles SCS et Eurobiomed",
            report="Les montants proposés figurent au tableau suivant :\n[[TABLE 0]]",
            articles=(
                "Article 1 :\nSont attribuées les subventions figurant au tableau ci-dessus.\n"
                "Article 2 :\nLes crédits sont inscrits ainsi :\n- BP, Territoire Marseille Provence : "
                "45 000 € ;\n- ETS Pays d'Aix : 10 000 €."
            ),
        ),
        [table],
    )
    assert [(g[1], g[3]) for g in grants] == [("scs", 30000), ("eurobiomed", 25000)]


def test_a_sum_restated_without_its_year_is_the_same_grant() -> None:
    grants = grants_of(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec, au titre de l'année 2019, une subvention "
                "de fonctionnement de 55 000 euros.\nArticle 2 :\nLa subvention de 55 000 euros est "
                "répartie :" + SHARES.split(":", 1)[1]
            )
        )
    )
    assert len(grants) == 1 and grants[0][6][1] == ("pays-d-aix", "ets", 15000)


def test_a_value_wrapped_after_its_colon_stays_with_its_words() -> None:
    [grant] = grants_of(
        deliberation(
            report=(
                "Pôle Optitec, photonique ; budget prévisionnel 2019 :\n1 300 000 €.\nIl est proposé "
                "d'attribuer au Pôle Optitec une subvention de 60.000 euros."
            )
        )
    )
    assert grant[5] == 1300000


def test_the_same_split_as_the_year_before() -> None:
    grants = grants_of(
        deliberation(
            articles=(
                "Article 1 :\nSont attribuées au Pôle Optitec :\n- 30 000 € au titre de 2019 : 20 000 € "
                "sur le budget principal de la Métropole, Territoire Marseille Provence, et 10 000 € sur "
                "l'Etat Spécial de Territoire du Pays d'Aix ;\n- 30 000 € au titre de 2020, selon la "
                "même répartition."
            )
        )
    )
    assert [g[6] for g in grants] == [
        [("marseille-provence", "principal", 20000), ("pays-d-aix", "ets", 10000)]
    ] * 2


def test_what_another_carries_is_funded_to_it() -> None:
    [grant] = grants_of(
        deliberation(
            title="Soutien au programme de recherche LUMEN",
            articles=(
                "Article 1 :\nLa Métropole finance le programme de recherche LUMEN mené par l'Institut "
                "Fresnel, pour 40 000 € au titre de l'année 2019."
            ),
        )
    )
    assert (grant[0], grant[1], grant[3]) == ("Institut Fresnel", None, 40000)


def test_page_numbers_between_dashes_are_no_part_of_the_title() -> None:
    text = deliberation().replace("MET 19/10103/BM", "- 1 / 3 -\nMET 19/10103/BM")
    assert record_of_text(text)["title"] == (
        "Attribution d'une subvention de fonctionnement au Pôle OPTITEC"
    )


def test_a_conseil_de_territoire_numbered_after_its_code() -> None:
    text = deliberation(code="DEV 011-2290/19/CT6", reference=None, date="4 juin 2019").replace(
        " AIX-MARSEILLE-PROVENCE\n", " AIX-MARSEILLE-PROVENCE\nCONSEIL DE TERRITOIRE\n", 1
    )
    record = record_of_text(text)
    assert (record["deliberation_code"], record["body"], record["territory_id"]) == (
        "DEV 011-2290/19/CT6",
        "conseil-de-territoire",
        "pays-de-martigues",
    )


def test_members_present_counted_after_words() -> None:
    text = deliberation().replace(
        "a ouvert la séance à\nlaquelle ont été présents 31 membres.",
        "a ouvert la séance.\nSont présents en début de séance 27 conseillers.",
    )
    assert record_of_text(text)["members_present"] == 27


def test_private_partners_and_a_sum_left_to_another_act_are_no_disagreement() -> None:
    record = record_of_text(
        deliberation(
            report=(
                "Le programme est financé par des mécènes pour 30 000 euros. Une aide au "
                "fonctionnement de 20 000 euros est par ailleurs proposée, qui fera l'objet d'une "
                "délibération ultérieure. Il est proposé d'attribuer au Pôle Optitec une subvention "
                "de 60.000 euros."
            )
        )
    )
    assert record["needs_review"] is False, record["review_reasons"]


def test_a_budget_that_a_later_decision_carries_to_a_new_sum() -> None:
    [grant] = grants_of(
        deliberation(
            report=(
                "La subvention avait été calculée au vu d'un budget prévisionnel de 900 000 euros. "
                "Une décision modificative porte le budget de l'association pour l'exercice à "
                "1 020 000 euros. Il est proposé d'attribuer au Pôle Optitec une subvention de "
                "60.000 euros."
            )
        )
    )
    assert grant[5] == 1020000


def test_the_subject_of_a_verb_of_receiving_is_the_beneficiary() -> None:
    grants = grants_of(
        deliberation(
            title="Soutien au Pôle OPTITEC et au Technopôle de Château-Gombert",
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de fonctionnement de "
                "60.000 euros.\nArticle 2 :\nLe Technopôle de Château-Gombert perçoit une "
                "subvention de 12 000 € pour son salon annuel."
            ),
        )
    )
    assert [(g[0], g[1], g[3]) for g in grants] == [
        ("Pôle OPTITEC", "optitec", 60000),
        ("Technopôle de Château-Gombert", None, 12000),
    ]


def test_the_total_of_a_grant_is_the_grant() -> None:
    [grant] = grants_of(
        deliberation(
            articles=(
                "Article 1 :\nIl est alloué au Pôle Optitec une subvention de fonctionnement d'un "
                "montant global de 55 000 euros, répartie comme suit :\n- budget principal de la "
                "Métropole, Territoire Marseille Provence : 40 000 euros ;\n- Etat Spécial de "
                "Territoire du Pays d'Aix : 15 000 euros."
            )
        )
    )
    assert (grant[3], len(grant[6])) == (55000, 2)


def test_the_budget_a_list_lead_names_is_its_items() -> None:
    [grant] = grants_of(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de 55 000 euros.\n"
                "Article 2 :\nElle est prise en charge par l'Etat Spécial de Territoire, pour :\n"
                "- 40 000 euros, par le Territoire Marseille Provence ;\n- 15 000 euros, par le "
                "Territoire du Pays Salonais."
            )
        )
    )
    assert grant[6] == [("marseille-provence", "ets", 40000), ("pays-salonais", "ets", 15000)]


@pytest.mark.parametrize(
    "report",
    [
        "Son programme 2019 est estimé à 1 900 000 euros, montant de son budget prévisionnel.",
        "Le budget prévisionnel du pôle pour 2019, soit 1 900 000 euros, reste inchangé.",
    ],
)
def test_a_budget_named_beside_its_sum(report: str) -> None:
    [grant] = grants_of(deliberation(report=report))
    assert grant[5] == 1900000


def test_an_ets_named_with_a_reserve_is_no_beneficiary() -> None:
    grants = grants_of(
        deliberation(
            date="12 décembre 2019",
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec, pour l'année 2020 et sous réserve de "
                "l'inscription des crédits aux Etats Spéciaux de Territoire 2020, une subvention de "
                "fonctionnement de 30 000 €, dont 20 000 € sur l'Etat Spécial de Territoire du Pays "
                "d'Aix et 10 000 € sur l'Etat Spécial de Territoire du Pays Salonais."
            ),
        )
    )
    assert [(g[0], g[3], g[4]) for g in grants] == [("Pôle OPTITEC", 30000, 2020)]


def test_money_the_metropole_receives_is_no_grant() -> None:
    record = record_of_text(
        deliberation(
            title="Plan Climat - Approbation d'une convention avec l'ADEME et perception d'une aide",
            articles=(
                "Article 1 :\nEst approuvée la convention portant attribution à la Métropole d'une "
                "aide de l'ADEME de 250 000 € et d'une subvention régionale de 100 000 €."
            ),
        )
    )
    assert (record["grants"], record["needs_review"]) == ([], False), record["review_reasons"]


def test_a_column_of_last_years_sums_holds_no_grant() -> None:
    table = [
        ["Pôle", "Pour mémoire : attribué en 2018", "Subvention 2019"],
        ["Pôle Optitec", "55 000 €", "60 000 €"],
        ["Eurobiomed", "40 000 €", "45 000 €"],
    ]
    record = record_of_text(
        deliberation(
            title="Subventions de fonctionnement 2019 aux pôles Optitec et Eurobiomed",
            articles="Article 1 :\nSont attribuées les subventions suivantes :\n[[TABLE 0]]",
        ),
        [table],
    )
    assert [g["amount_eur"] for g in record["grants"]] == [60000, 45000]
    assert record["needs_review"] is False, record["review_reasons"]


def test_the_budget_a_clause_names_before_its_shares() -> None:
    [grant] = grants_of(
        deliberation(
            articles=(
                "Article 1 :\nEst attribuée au Pôle Optitec une subvention de 45 000 euros.\n"
                "Article 2 :\nElle est prise en charge sur le budget principal de la Métropole pour "
                "30 000 euros au titre du Territoire du Pays Salonais et pour 15 000 euros au titre "
                "du Territoire de Martigues."
            )
        )
    )
    assert grant[6][0] == ("pays-salonais", "principal", 30000)


# Set 15 called for the rules below; each is written here in other words than its act.


@pytest.mark.parametrize(
    "report",
    [
        "Les comptes du pôle sont équilibrés. Le budget de l'exercice 2019 d'Optitec atteint "
        "1 240 000 euros.",
        "Le pôle poursuit ses actions. Son budget pour l'année 2019 s'élève à 1 240 000 euros.",
        "Les acteurs du Pays Salonais ont rejoint le pôle, qui a revu son budget, désormais fixé "
        "à 1 240 000 euros.",
    ],
)
def test_a_budget_dated_by_its_year_or_near_a_place_is_the_beneficiarys(report: str) -> None:
    [grant] = grants_of(deliberation(report=report))
    assert grant[5] == 1240000


def test_an_article_opening_on_the_association_names_it_without_the_word() -> None:
    [grant] = grants_of(
        deliberation(
            title="Attribution d'une subvention à l'association Marseille Innovation",
            articles="Article 1 :\nL'association Marseille Innovation perçoit une subvention de "
            "25 000 euros.",
        )
    )
    assert (grant[0], grant[1], grant[3]) == ("Marseille Innovation", None, 25000)


def test_each_territory_pays_its_share_from_its_own_budget() -> None:
    [grant] = grants_of(
        deliberation(
            articles="Article 1 :\nEst attribuée au Pôle Optitec une subvention de 45 000 euros. "
            "Le Territoire Marseille Provence en prend 30 000 euros sur son budget principal, le "
            "Territoire du Pays d'Aubagne et de l'Etoile 15 000 euros sur son Etat Spécial."
        )
    )
    assert grant[3] == 45000
    assert grant[6] == [
        ("marseille-provence", "principal", 30000),
        ("pays-d-aubagne-et-de-l-etoile", "ets", 15000),
    ]


def test_the_sum_an_amendment_replaces_is_no_grant() -> None:
    grants = grants_of(
        deliberation(
            articles="Article 1 :\nLa subvention attribuée au Pôle Optitec est portée à 70 000 "
            "euros, en lieu et place de 60 000 euros."
        )
    )
    assert [g[3] for g in grants] == [70000]


def test_a_fee_for_each_of_several_years_is_a_grant_a_year() -> None:
    grants = grants_of(
        deliberation(
            date="14 février 2019",
            title="Adhésion de la Métropole au Pôle OPTITEC",
            articles="Article 1 :\nLa Métropole versera au Pôle Optitec une cotisation de 3 000 "
            "euros par an pour les exercices 2019 à 2021.",
        )
    )
    assert [(g[2], g[3], g[4]) for g in grants] == [
        ("membership", 3000, 2019),
        ("membership", 3000, 2020),
        ("membership", 3000, 2021),
    ]
