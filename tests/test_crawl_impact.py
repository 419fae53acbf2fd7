"""The listing card's "Incidence financière", read: every archived card's text, and variations."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.crawl.impact import FinancialImpact, read_financial_impact
from pipelines.crawl.mirror import financial_impact

FIXTURES = Path(__file__).parent / "fixtures" / "ampmetropole"
SAMPLES = Path(__file__).parents[1] / "data" / "samples"
SAFE_FULL = (
    "74 500 euros : 45 000 euros budget principal métropolitain du Territoire Marseille "
    "Provence, 29 500 euros Etat Spécial de Territoire du Pays d'Aix."
)


def _euros(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _read(text: str) -> tuple[str, Decimal | None, Decimal | None]:
    impact = read_financial_impact(text)
    return impact.kind, impact.total_eur, impact.total_ht_eur


# Every "Incidence financière" of the archived cards (tests/fixtures/ampmetropole/evidence/),
# as the adapter keeps it, with what it must read.
EVIDENCE = {
    "Sans.": ("none", None, None),
    # The Safe card as archived: the copy stops mid-word, its shares do not reach the total.
    "74 500 euros : 45 000 euros budget principal métropolitain du Te": ("unread", None, None),
    "200 000,00 euros HT, soit 240 000,00 euros TTC. Pas de cofinancement de l'opération.": (
        "expense",
        "240000.00",
        "200000.00",
    ),
    "Obtention d’une subvention FSE à hauteur de 1 350 100.00 €.": ("income", "1350100.00", None),
    # Money coming in (transferred and paid back to the Métropole), two sums.
    "Le montant des soldes de subventions transférés à la Métropole est de 8.151.298,30 €, "
    "solde auquel il convient d’ajouter les subventions déjà perçues et non utilisées par le "
    "GIP MRU à reverser à la Métropole pour un montant de 48 056,45 €.": ("income", None, None),
    # A cost, another funder's share and the Métropole's: several sums, money coming in.
    "Coût total 1 500 000 euros TTC. Cofinancement du Département : 900 000 euros TTC donc "
    "600 000 euros pour la Métropole.": ("unread", None, None),
    # A cost, then income cut off by the archive.
    "Le coût total de l'étude prévisionnelle est estimé à 125 000 euros HT, inscrit au BP. Les "
    "recettes prévisionnelles globales au titre du Contrat Ré": ("unread", None, None),
    # A discount, an expense and a receipt.
    "La remise accordée par le budget port sur la redevance d’occupation du domaine public "
    "portuaire sera compensée par le budget général. Dépense pour le budget général : 54 993,71 "
    "€ TTC. Recette pour le budget port : montant équivalent": ("unread", None, None),
    # A convention raised from one HT/TTC pair to another.
    "La convention est portée de 908.333,34 euros H.T soit 1.090.000,00 euros T.T.C à un "
    "montant global de 1.168.583,33 euros H.T, soit 1.402.300,00 euros T.T.C, soit une "
    "augmentation globale de 29%.": ("unread", None, None),
}


@pytest.mark.parametrize("text", list(EVIDENCE))
def test_every_archived_incidence_financiere_is_read_or_left_unread(text: str) -> None:
    kind, total, ht = EVIDENCE[text]
    assert _read(text) == (kind, _euros(total), _euros(ht))


def test_the_evidence_table_holds_every_archived_cards_text() -> None:
    archived = {
        card["financial_impact"]
        for path in FIXTURES.glob("*.expected.json")
        for card in json.loads(path.read_text(encoding="utf-8"))["cards"]
        if card.get("financial_impact")
    }
    assert archived <= set(EVIDENCE)


def test_a_total_and_its_split_between_budgets_name_their_territories() -> None:
    impact = read_financial_impact(SAFE_FULL)
    assert (impact.kind, impact.total_eur) == ("expense", Decimal("74500.00"))
    assert [(s.amount_eur, s.territory_id, s.budget) for s in impact.split] == [
        (Decimal("45000.00"), "marseille-provence", "principal"),
        (Decimal("29500.00"), "pays-d-aix", "ets"),
    ]
    assert impact.split[1].words == "Etat Spécial de Territoire du Pays d'Aix"
    assert json.loads(impact.split_json() or "")[0]["amount_eur"] == "45000.00"


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("74 500 euros", "74500"),
        ("74 500€", "74500"),
        ("74.500,00 €", "74500"),
        ("74 500 €.", "74500"),
        ("8.151.298,30 €.", "8151298.30"),
        ("1 350 100.00 €.", "1350100"),
        ("54 993,71 euros.", "54993.71"),
        ("Coût total 1 500 000 euros TTC.", "1500000"),
        ("Montant : 60 000 euros.", "60000"),
        ("Pour un montant total de 60 000 euros.", "60000"),
        ("Subvention de fonctionnement de 60 000 euros.", "60000"),
        ("60 000 euros budget principal de la Métropole.", "60000"),
        ("60.000,00 € sur le budget principal de la Métropole.", "60000"),
        ("Cent vingt mille euros.", "120000"),
        (
            "60 000 € : 45 000 € budget principal de la Métropole (Territoire Marseille "
            "Provence) ; 15 000 € Etat Spécial de Territoire du Pays d'Aix.",
            "60000",
        ),
        (
            "60 000 euros répartis comme suit : 40 000 euros budget principal, 20 000 euros "
            "budget principal de la Métropole.",
            "60000",
        ),
    ],
)
def test_a_sum_spent_is_read_in_each_style(text: str, total: str) -> None:
    impact = read_financial_impact(text)
    assert (impact.kind, impact.total_eur) == ("expense", Decimal(total)), impact.note


def test_an_expense_split_names_the_metropole_as_a_whole_without_territory() -> None:
    impact = read_financial_impact("133 000 euros budget principal de la Métropole.")
    assert [(s.territory_id, s.budget) for s in impact.split] == [("metropole", "principal")]


@pytest.mark.parametrize(
    ("text", "total", "ht"),
    [
        ("200 000,00 euros HT, soit 240 000,00 euros TTC.", "240000", "200000"),
        ("240 000 € TTC soit 200 000 € HT.", "240000", "200000"),
        ("908.333,34 euros H.T soit 1.090.000,00 euros T.T.C.", "1090000", "908333.34"),
        ("125 000 euros HT.", "125000", "125000"),
        ("Le coût total de l'étude est estimé à 125 000 euros hors taxes.", "125000", "125000"),
    ],
)
def test_an_ht_ttc_pair_keeps_both_sums(text: str, total: str, ht: str) -> None:
    assert _read(text) == ("expense", Decimal(total), Decimal(ht))


@pytest.mark.parametrize(
    "text",
    [
        "Sans.",
        "Sans",
        "Néant.",
        "Aucune.",
        "Aucune incidence financière.",
        "Sans incidence financière pour la Métropole.",
        "Pas d'incidence financière.",
        "  sans . ",
    ],
)
def test_no_impact_is_none(text: str) -> None:
    assert read_financial_impact(text) == FinancialImpact("none")


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("Participation de l'Etat à hauteur de 30 000 €.", "30000"),
        ("Recette de 12 000 euros au budget principal.", "12000"),
        ("Subvention de la Région de 250 000 euros.", "250000"),
        ("Cofinancement FEDER : 400 000 €.", "400000"),
        ("La Métropole percevra 15 000 euros.", "15000"),
        ("Obtention d'une subvention de l'ADEME.", None),
    ],
)
def test_money_coming_in_is_income_never_an_expense(text: str, total: str | None) -> None:
    assert _read(text) == ("income", _euros(total), None)


@pytest.mark.parametrize(
    "text",
    [
        # Cut off: the shares stop short of the total, or the text stops mid-sentence.
        "74 500 euros : 45 000 euros budget principal métropolitain du Territoire Marseille",
        "74 500 euros : 45 000 euros budget principal métropolitain du Territoire Marseille "
        "Provence, 29 500 euros Etat Spé",
        "74 500 euros budget principal de la Mét",
        "Coût total 100 000 € dont 60 000 € à la charge de la Métropole.",
        # A cost in words only, or no sum at all.
        "Le coût est celui de la convention.",
        "Dépense prévue au budget.",
        # Several unrelated sums; a sum each year; a rate; a change of a sum.
        "60 000 euros en 2019. 40 000 euros en 2020.",
        "30 000 euros par an pendant trois ans.",
        "Prise en charge à 50 % du coût de 20 000 euros.",
        "Augmentation de 10 000 euros de la subvention.",
        "Une remise de 5 000 € est accordée.",
        "45 000 euros budget principal, 29 500 euros Etat Spécial de Territoire du Pays d'Aix.",
        # Someone else pays: words before the sum that are not the Métropole's.
        "Le Département versera 20 000 euros.",
        # Money both ways.
        "Dépense de 10 000 euros. Recette de 5 000 euros.",
        # A share naming no budget, another sum in its words.
        "60 000 euros : 30 000 euros au Pôle, 30 000 euros à l'association.",
        "HT 200 000 euros.",
        "240 000 euros TTC, soit 300 000 euros HT.",
        "",
        " . ",
    ],
)
def test_what_the_reader_cannot_account_for_is_unread(text: str) -> None:
    impact = read_financial_impact(text)
    assert impact.kind == "unread", impact
    assert impact.total_eur is None and impact.note


def test_the_mirror_prints_each_samples_impact_in_forms_read_back_to_its_total() -> None:
    for path in sorted(SAMPLES.glob("*.expected.json")):
        grants = json.loads(path.read_text(encoding="utf-8"))["grants"]
        total = sum(Decimal(str(grant["amount_eur"])) for grant in grants)
        for style in range(3):
            text = financial_impact(grants, style)
            impact = read_financial_impact(text)
            assert (impact.kind, impact.total_eur) == ("expense", total), (path.name, text)
            assert sum(s.amount_eur for s in impact.split) in (0, total)
    assert financial_impact([], 0) == "Sans."
    cents = [{"amount_eur": 54993.71, "allocations": []}]
    assert [read_financial_impact(financial_impact(cents, s)).total_eur for s in range(3)] == [
        Decimal("54993.71")
    ] * 3
